package cn.kameng.refunddesk.alipay;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.alipay.api.FileItem;
import com.alipay.api.domain.AlipaySecurityRiskComplaintInfoQueryModel;
import com.alipay.api.domain.AlipaySecurityRiskComplaintProcessFinishModel;
import com.alipay.api.domain.ComplaintInfoQueryResponse;
import com.alipay.api.domain.ComplaintTradeInfo;
import com.alipay.api.domain.ImgFile;
import com.alipay.api.request.AlipaySecurityRiskComplaintFileUploadRequest;
import com.alipay.api.request.AlipaySecurityRiskComplaintInfoBatchqueryRequest;
import com.alipay.api.request.AlipaySecurityRiskComplaintInfoQueryRequest;
import com.alipay.api.request.AlipaySecurityRiskComplaintProcessFinishRequest;
import com.alipay.api.response.AlipaySecurityRiskComplaintFileUploadResponse;
import com.alipay.api.response.AlipaySecurityRiskComplaintInfoBatchqueryResponse;
import com.alipay.api.response.AlipaySecurityRiskComplaintInfoQueryResponse;
import com.alipay.api.response.AlipaySecurityRiskComplaintProcessFinishResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.complaint.ChannelUnavailableException;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;

/**
 * Alipay RiskGO 消费者投诉 ({@code alipay.security.risk.complaint.*}) as a complaint source: info batch query
 * and info query in, {@code alipay.security.risk.complaints.merchants.notify} as its push, and one answer out,
 * {@code process.finish} with its process code (images uploaded first with {@code file.upload}). The complaint's
 * key is Alipay's {@code id} (投诉主表主键, what query and finish take); {@code gmt_overdue} is its deadline.
 * RiskGO has no negotiation: the history shows the complaint and, once given, the merchant's handling. ADR 0069.
 */
@Component
@ConditionalOnProperty(name = "payment.alipay.complaints.riskgo.enabled", havingValue = "true")
class AlipayRiskGoComplaintSource extends AlipayComplaintFamily {

    static final String SOURCE = "alipay-riskgo";
    static final String NOTIFY = "alipay.security.risk.complaints.merchants.notify";
    static final String BATCH_QUERY = "alipay.security.risk.complaint.info.batchquery";
    static final String QUERY = "alipay.security.risk.complaint.info.query";
    private static final int MAX_PAGE_SIZE = 100;
    /** Finished: by us (in time or late), or withdrawn by the buyer. */
    private static final Set<String> PROCESSED = Set.of("PROCESSED", "OVERDUE_PROCESSED");
    private static final Set<String> WITHDRAWN = Set.of("DROP_COMPLAIN", "DROP_OVERDUE_COMPLAIN", "DROP_OVERDUE_PROCESSED",
            "DROP_PROCESSED");

    private final AlipayProperties.RiskGo settings;

    AlipayRiskGoComplaintSource(AlipayProperties properties, ObjectMapper json) {
        super(SOURCE, NOTIFY, checked(properties.complaints().riskgo()).longestWindow(),
                new AlipayComplaintCalls(properties, "payment.alipay.complaints.riskgo.enabled", json));
        this.settings = properties.complaints().riskgo();
    }

    private static AlipayProperties.RiskGo checked(AlipayProperties.RiskGo settings) {
        if (settings.pageSize() < 1 || settings.pageSize() > MAX_PAGE_SIZE) {
            throw new IllegalStateException("payment.alipay.complaints.riskgo.page-size is " + settings.pageSize()
                    + "; give 1 to " + MAX_PAGE_SIZE + " (Alipay's default is 10)");
        }
        if (settings.longestWindow().isNegative() || settings.longestWindow().isZero()) {
            throw new IllegalStateException("payment.alipay.complaints.riskgo.longest-window must be a positive"
                    + " duration such as P30D, not " + settings.longestWindow());
        }
        return settings;
    }

    @Override
    Notice notice(JsonNode biz) {
        String id = first(biz, "complaint_id", "complain_id", "id");
        if (id == null) {
            throw BadInput.field("biz_content.complaint_id", "is required: the message names no complaint");
        }
        String status = first(biz, "status");
        NoticeKind kind = status == null || "WAIT_PROCESS".equals(status) ? NoticeKind.CREATED : NoticeKind.CHANGED;
        return Notice.of(id, kind, status == null ? NOTIFY : NOTIFY + " " + status);
    }

    @Override
    public Page list(Window window, String pageToken) {
        long page = pageNumber(pageToken);
        // biz_content written here, not by the SDK's model: its Date fields must be Beijing time, whatever the JVM's zone.
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("gmt_complaint_start", AlipayComplaintCalls.stamp(window.from()));
        content.put("gmt_complaint_end", AlipayComplaintCalls.stamp(window.to()));
        content.put("current_page_num", page);
        content.put("page_size", settings.pageSize());
        AlipaySecurityRiskComplaintInfoBatchqueryRequest request = new AlipaySecurityRiskComplaintInfoBatchqueryRequest();
        request.setBizContent(alipay.bizContent(content));
        AlipaySecurityRiskComplaintInfoBatchqueryResponse response = alipay.read(request, "the RiskGO complaint list of "
                + content.get("gmt_complaint_start") + " .. " + content.get("gmt_complaint_end") + " page " + page);
        List<ComplaintInfoQueryResponse> infos = response.getComplaintList() == null ? List.of()
                : response.getComplaintList();
        List<Listed> listed = infos.stream().filter(i -> i.getId() != null)
                .map(i -> new Listed(Long.toString(i.getId()), AlipayComplaintCalls.instant(i.getGmtComplain()),
                        state(i.getStatus()), i.getStatus(), AlipayComplaintCalls.instant(i.getGmtProcess())))
                .toList();
        boolean more = response.getTotalSize() != null ? page * settings.pageSize() < response.getTotalSize()
                : infos.size() >= settings.pageSize();
        return new Page(listed, more && !infos.isEmpty() ? Long.toString(page + 1) : null);
    }

    @Override
    public ChannelComplaint fetch(String externalId) {
        AlipaySecurityRiskComplaintInfoQueryResponse d = query(externalId);
        JsonNode raw = alipay.rawAnswer(d, QUERY);
        ComplaintTradeInfo trade = d.getComplaintTradeInfoList() == null ? null : d.getComplaintTradeInfoList().stream()
                .filter(t -> t.getOutNo() != null && !t.getOutNo().isBlank()).findFirst().orElse(null);
        // problem_type is newer than this SDK's classes: read from the signed answer when Alipay sends it.
        String problemType = first(raw, "problem_type");
        boolean refund = "REFUND".equals(problemType)
                || d.getComplainContent() != null && d.getComplainContent().contains("退款");
        List<ImageRef> buyerImages = images(d.getCertifyInfo(), Party.BUYER);
        List<HistoryEntry> history = new ArrayList<>();
        history.add(new HistoryEntry(AlipayComplaintCalls.instant(d.getGmtComplain()), Party.BUYER, "COMPLAIN",
                d.getComplainContent(), buyerImages));
        if (d.getProcessCode() != null) {
            String said = d.getProcessMessage() != null ? d.getProcessMessage() : d.getProcessCode();
            history.add(new HistoryEntry(AlipayComplaintCalls.instant(d.getGmtProcess()), Party.MERCHANT,
                    d.getProcessCode(), d.getProcessRemark() != null ? said + "：" + d.getProcessRemark() : said,
                    images(d.getProcessImgUrlList(), Party.MERCHANT)));
        }
        Deadline overdue = d.getGmtOverdue() == null ? null
                : new Deadline(d.getGmtOverdue().toInstant(), CountedOn.CALENDAR_TIME);
        String tradeNo = d.getTradeNo() != null ? d.getTradeNo() : trade != null ? trade.getTradeNo() : null;
        Long amount = AlipayComplaintCalls.fen(d.getComplainAmount());
        return new ChannelComplaint(d.getId() != null ? Long.toString(d.getId()) : externalId,
                trade != null ? trade.getOutNo() : null, tradeNo, problemType != null ? problemType : "UNSPECIFIED",
                d.getComplainContent(), amount != null ? amount : trade != null ? AlipayComplaintCalls.fen(trade.getAmount()) : null,
                refund, AlipayComplaintCalls.instant(d.getGmtComplain()), state(d.getStatus()), d.getStatus(),
                new ChannelDeadlines(null, overdue), buyerImages, history);
    }

    @Override
    public Image download(ImageRef image) {
        return alipay.download(image.reference(), "an image of a RiskGO complaint");
    }

    @Override
    public Set<AnswerKind> accepts() {
        return EnumSet.of(AnswerKind.COMPLETE);
    }

    /**
     * process.finish's img_file_list (ADR 0071): no documented maximum we could confirm, so a conservative 3 files,
     * jpg or png, within the port's 2 MB.
     */
    @Override
    public int maxAnswerImages(AnswerKind kind) {
        return kind == AnswerKind.COMPLETE ? 3 : 0;
    }

    @Override
    public Set<String> answerImageTypes() {
        return Set.of("image/jpeg", "image/png");
    }

    @Override
    public Sent send(ChannelAnswer answer) {
        if (!(answer instanceof Complete complete)) {
            return Sent.refused(SOURCE + " takes one answer, the finished handling (process.finish), not "
                    + answer.kind());
        }
        long id;
        try {
            id = Long.parseLong(complete.externalId());
        } catch (NumberFormatException e) {
            return Sent.refused("'" + complete.externalId() + "' is not a RiskGO complaint id (a number)");
        }
        AlipaySecurityRiskComplaintInfoQueryResponse now;
        try {
            now = query(complete.externalId());
        } catch (NotFound e) {
            return Sent.refused(e.getMessage());
        }
        String status = now.getStatus();
        if (status != null && WITHDRAWN.contains(status)) {
            return Sent.refused("the buyer withdrew RiskGO complaint " + id + " (" + status + ")");
        }
        if (now.getProcessCode() != null || status != null && PROCESSED.contains(status)) {
            return Sent.alreadyDone("Alipay already has the handling of RiskGO complaint " + id + " ("
                    + (now.getProcessCode() != null ? now.getProcessCode() : status) + ")");
        }
        RiskGoProcessCode code = RiskGoProcessCode.of(complete.resolution());
        AlipaySecurityRiskComplaintProcessFinishModel model = new AlipaySecurityRiskComplaintProcessFinishModel();
        model.setIdList(List.of(id));
        model.setProcessCode(code.name());
        model.setRemark(complete.text() == null || complete.text().isBlank() ? code.label() : complete.text());
        List<ImgFile> files = upload(complete.images());
        if (!files.isEmpty()) {
            model.setImgFileList(files);
        }
        AlipaySecurityRiskComplaintProcessFinishRequest request = new AlipaySecurityRiskComplaintProcessFinishRequest();
        request.setBizModel(model);
        AlipaySecurityRiskComplaintProcessFinishResponse response = alipay.call(request,
                "the handling of RiskGO complaint " + id);
        if (!response.isSuccess()) {
            return Sent.refused("Alipay: " + AlipayComplaintCalls.refusal(response));
        }
        if (!Boolean.TRUE.equals(response.getComplaintProcessSuccess())) {
            throw new ChannelUnavailableException("Alipay took the handling of RiskGO complaint " + id
                    + " but says it did not finish processing it (complaint_process_success is not true); tried again");
        }
        return Sent.accepted();
    }

    private List<ImgFile> upload(List<AnswerImage> images) {
        List<ImgFile> files = new ArrayList<>();
        for (AnswerImage image : images) {
            AlipaySecurityRiskComplaintFileUploadRequest request = new AlipaySecurityRiskComplaintFileUploadRequest();
            request.setFileContent(new FileItem(image.fileName() != null ? image.fileName() : image.key(), image.bytes(),
                    image.contentType()));
            AlipaySecurityRiskComplaintFileUploadResponse response = alipay.call(request, "the upload of file " + image.key());
            if (!response.isSuccess() || response.getFileKey() == null || response.getFileUrl() == null) {
                throw new AlipayComplaintCalls.AlipayRefusal(request.getApiMethodName(), "file " + image.key(), response);
            }
            ImgFile file = new ImgFile();
            file.setImgUrl(response.getFileUrl());
            file.setImgUrlKey(response.getFileKey());
            files.add(file);
        }
        return files;
    }

    private AlipaySecurityRiskComplaintInfoQueryResponse query(String externalId) {
        AlipaySecurityRiskComplaintInfoQueryModel model = new AlipaySecurityRiskComplaintInfoQueryModel();
        model.setComplainId(externalId);
        AlipaySecurityRiskComplaintInfoQueryRequest request = new AlipaySecurityRiskComplaintInfoQueryRequest();
        request.setBizModel(model);
        return alipay.read(request, "RiskGO complaint " + externalId);
    }

    /** RiskGO's status in neutral terms; a status this adapter does not know counts as in progress. */
    static ChannelState state(String status) {
        if (status == null) {
            return ChannelState.IN_PROGRESS;
        }
        if (status.equals("WAIT_PROCESS") || status.equals("OVERDUE") || status.equals("PART_OVERDUE")) {
            return ChannelState.PENDING;
        }
        return PROCESSED.contains(status) || WITHDRAWN.contains(status) ? ChannelState.CLOSED : ChannelState.IN_PROGRESS;
    }
}

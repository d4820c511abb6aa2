package cn.kameng.refunddesk.evidence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.evidence.EvidenceChecks.Entry;
import cn.kameng.refunddesk.evidence.EvidenceChecks.Name;
import cn.kameng.refunddesk.evidence.EvidenceChecks.Result;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.order.ProductCategory;

/**
 * Checks a dispute against the platform's own records: the order directory, the supplier's card-key
 * records and the platform chat. Each check's result is stored (evidence_check) and shown; a check
 * whose source is missing or down says CANNOT_RUN instead of passing. The chat log is attached to the
 * dispute as evidence of party PLATFORM.
 */
@Component
class PlatformRecordsVerifier implements EvidenceVerifier {

    private static final Logger log = LoggerFactory.getLogger(PlatformRecordsVerifier.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(WorkingDays.BEIJING);

    private final OrderDirectory orders;
    private final ObjectProvider<CardKeySupplier> supplier;
    private final ObjectProvider<PlatformChatLog> chat;
    private final DisputeRepository disputes;
    private final EvidenceRecords records;
    private final EvidenceService evidence;
    private final EvidenceChecks checks;
    private final RequiredEvidence required;

    PlatformRecordsVerifier(OrderDirectory orders, ObjectProvider<CardKeySupplier> supplier,
            ObjectProvider<PlatformChatLog> chat, DisputeRepository disputes, EvidenceRecords records,
            EvidenceService evidence, EvidenceChecks checks, RequiredEvidence required) {
        this.orders = orders;
        this.supplier = supplier;
        this.chat = chat;
        this.disputes = disputes;
        this.records = records;
        this.evidence = evidence;
        this.checks = checks;
        this.required = required;
    }

    @Override
    public Check check(Dispute d) {
        Instant now = ServiceClock.now();
        List<Entry> results = new ArrayList<>();
        Optional<Order> order;
        String orderProblem = null;
        try {
            order = orders.find(d.orderId());
        } catch (RuntimeException e) {
            log.warn("Order directory unavailable while checking dispute {}", d.id(), e);
            order = Optional.empty();
            orderProblem = "平台订单系统不可用（" + e.getClass().getSimpleName() + "），未能核验";
        }
        if (orderProblem != null) {
            for (Name name : List.of(Name.ORDER_OF_CUSTOMER, Name.PAYMENT_MATCHES, Name.CARD_KEY_MATCHES,
                    Name.CARD_KEY_REDEMPTION)) {
                results.add(new Entry(name, Result.CANNOT_RUN, orderProblem, now));
            }
        } else {
            results.add(orderOfCustomer(d, order, now));
            results.addAll(orderChecks(d, order.filter(o -> o.buyerId().equals(d.customerId())), now));
        }
        results.add(chatLog(d, now));
        List<RequiredEvidence.Requirement> missing = required.missing(d, Party.CUSTOMER);
        results.add(new Entry(Name.CUSTOMER_REQUIRED_EVIDENCE, missing.isEmpty() ? Result.PASSED : Result.FAILED,
                missing.isEmpty() ? "买家已提供该原因要求的证据" : "买家缺少：" + missing.stream().map(RequiredEvidence.Requirement::words)
                        .collect(Collectors.joining("；")), now));
        checks.save(d.id(), results);

        boolean complete = results.stream().allMatch(r -> r.result() == Result.PASSED
                || r.result() == Result.NOT_APPLICABLE);
        String summary = results.stream().map(Entry::line).collect(Collectors.joining("；"));
        // the summary goes on the timeline (2,000 characters a message); the full results are in evidence_check
        return new Check(complete, summary.length() <= 1500 ? summary : summary.substring(0, 1499) + "…");
    }

    private static Entry orderOfCustomer(Dispute d, Optional<Order> order, Instant now) {
        if (order.isEmpty()) {
            return new Entry(Name.ORDER_OF_CUSTOMER, Result.FAILED, "平台没有订单 " + d.orderId(), now);
        }
        if (!order.get().buyerId().equals(d.customerId())) {
            return new Entry(Name.ORDER_OF_CUSTOMER, Result.FAILED, "订单 " + d.orderId() + " 不属于买家 " + d.customerId(),
                    now);
        }
        return new Entry(Name.ORDER_OF_CUSTOMER, Result.PASSED, "订单 " + d.orderId() + " 存在且属于买家 " + d.customerId(),
                now);
    }

    private List<Entry> orderChecks(Dispute d, Optional<Order> found, Instant now) {
        if (found.isEmpty()) {
            String why = "订单核验未通过，无法对照订单记录";
            return List.of(new Entry(Name.PAYMENT_MATCHES, Result.CANNOT_RUN, why, now),
                    new Entry(Name.CARD_KEY_MATCHES, Result.CANNOT_RUN, why, now),
                    new Entry(Name.CARD_KEY_REDEMPTION, Result.CANNOT_RUN, why, now));
        }
        Order o = found.get();
        List<Entry> results = new ArrayList<>();
        boolean amount = o.amountFen() == d.paidAmountFen();
        boolean channel = o.paymentChannel() == d.paymentChannel();
        results.add(new Entry(Name.PAYMENT_MATCHES, amount && channel ? Result.PASSED : Result.FAILED,
                "支付记录：" + o.amountFen() + " 分 / " + o.paymentChannel() + "；争议：" + d.paidAmountFen() + " 分 / "
                        + d.paymentChannel() + (amount ? "" : "；金额不符") + (channel ? "" : "；支付渠道不符"), now));

        boolean keyGoods = EnumSet.of(ProductCategory.CARD_KEY, ProductCategory.GAME_CARD).contains(o.productCategory());
        String delivered = o.deliveredCardKey();
        if (!keyGoods) {
            results.add(new Entry(Name.CARD_KEY_MATCHES, Result.NOT_APPLICABLE, "商品类别 " + o.productCategory()
                    + " 不发卡密", now));
            results.add(new Entry(Name.CARD_KEY_REDEMPTION, Result.NOT_APPLICABLE, "商品类别 " + o.productCategory()
                    + " 不发卡密", now));
            return results;
        }
        if (delivered == null || delivered.isBlank()) {
            results.add(new Entry(Name.CARD_KEY_MATCHES, Result.CANNOT_RUN, "订单记录中没有已发出的卡密", now));
            results.add(new Entry(Name.CARD_KEY_REDEMPTION, Result.CANNOT_RUN, "订单记录中没有已发出的卡密", now));
            return results;
        }
        String reported = disputes.reportedCardKey(d.id()).orElse(null);
        if (reported == null) {
            results.add(new Entry(Name.CARD_KEY_MATCHES, Result.CANNOT_RUN,
                    "买家未报告收到的卡密（正式退款申请的 reportedCardKey）", now));
        } else {
            boolean same = reported.trim().equalsIgnoreCase(delivered.trim());
            results.add(new Entry(Name.CARD_KEY_MATCHES, same ? Result.PASSED : Result.FAILED, same
                    ? "买家报告的卡密与订单发出的卡密一致（" + masked(delivered) + "）"
                    : "买家报告的卡密 " + masked(reported) + " 不是该订单发出的卡密 " + masked(delivered), now));
        }
        results.add(redemption(o, delivered, now));
        return results;
    }

    /** PASSED: the key was good when delivered; FAILED: it was used or expired before, or the supplier never issued it. */
    private Entry redemption(Order o, String key, Instant now) {
        CardKeySupplier source = supplier.getIfAvailable();
        if (source == null) {
            return new Entry(Name.CARD_KEY_REDEMPTION, Result.CANNOT_RUN, "未接入供货商卡密查询", now);
        }
        Optional<CardKeySupplier.Redemption> found;
        try {
            found = source.redemption(key);
        } catch (RuntimeException e) {
            log.warn("Supplier unavailable while checking the key of order {}", o.orderId(), e);
            return new Entry(Name.CARD_KEY_REDEMPTION, Result.CANNOT_RUN, "供货商卡密查询不可用（"
                    + e.getClass().getSimpleName() + "）", now);
        }
        if (found.isEmpty()) {
            return new Entry(Name.CARD_KEY_REDEMPTION, Result.FAILED, "供货商查无此卡密 " + masked(key), now);
        }
        CardKeySupplier.Redemption r = found.get();
        return switch (r.status()) {
            case UNUSED -> new Entry(Name.CARD_KEY_REDEMPTION, Result.PASSED, "供货商记录：卡密 " + masked(key) + " 未被兑换",
                    now);
            case EXPIRED -> new Entry(Name.CARD_KEY_REDEMPTION, Result.FAILED, "供货商记录：卡密 " + masked(key) + " 已过期",
                    now);
            case REDEEMED -> {
                boolean beforeDelivery = r.redeemedAt() != null && o.deliveredAt() != null
                        && r.redeemedAt().isBefore(o.deliveredAt());
                String when = r.redeemedAt() == null ? "时间不详" : TIME.format(r.redeemedAt()) + "（北京时间）";
                yield new Entry(Name.CARD_KEY_REDEMPTION, beforeDelivery ? Result.FAILED : Result.PASSED,
                        "供货商记录：卡密 " + masked(key) + " 于 " + when + " 由 " + (r.redeemedBy() == null ? "未知账号"
                                : r.redeemedBy()) + " 兑换" + (beforeDelivery ? "，早于发货：发出时已被使用" : "，在发货之后"),
                        now);
            }
        };
    }

    private Entry chatLog(Dispute d, Instant now) {
        PlatformChatLog source = chat.getIfAvailable();
        if (source == null) {
            return new Entry(Name.CHAT_LOG_ATTACHED, Result.CANNOT_RUN, "未接入平台聊天记录", now);
        }
        List<PlatformChatLog.Message> messages;
        try {
            messages = source.of(d.orderId());
        } catch (RuntimeException e) {
            log.warn("Platform chat unavailable while checking dispute {}", d.id(), e);
            return new Entry(Name.CHAT_LOG_ATTACHED, Result.CANNOT_RUN, "平台聊天记录不可用（"
                    + e.getClass().getSimpleName() + "）", now);
        }
        if (messages.isEmpty()) {
            return new Entry(Name.CHAT_LOG_ATTACHED, Result.NOT_APPLICABLE, "买卖双方在平台内没有关于订单 " + d.orderId()
                    + " 的聊天记录", now);
        }
        StringBuilder text = new StringBuilder("平台聊天记录 订单 " + d.orderId() + "（北京时间）\n");
        messages.forEach(m -> text.append(TIME.format(m.sentAt())).append("  ").append(m.sender()).append("：")
                .append(m.text()).append('\n'));
        byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
        String sha = EvidenceStore.sha256(content);
        boolean attached = records.of(d.id()).stream()
                .anyMatch(e -> e.party() == Party.PLATFORM && e.sha256().equals(sha));
        if (!attached) {
            try {
                evidence.attachPlatformRecord(d, EvidenceKind.CHAT_RECORD, "platform-chat-" + d.orderId() + ".txt",
                        "text/plain", content);
            } catch (java.io.UncheckedIOException | software.amazon.awssdk.core.exception.SdkException e) {
                log.warn("Could not store the platform chat log of dispute {}", d.id(), e);
                return new Entry(Name.CHAT_LOG_ATTACHED, Result.CANNOT_RUN, "平台聊天记录未能存入证据库（"
                        + e.getClass().getSimpleName() + "）", now);
            }
        }
        return new Entry(Name.CHAT_LOG_ATTACHED, Result.PASSED, "已附上平台聊天记录（" + messages.size() + " 条消息，sha256 "
                + sha.substring(0, 12) + "）", now);
    }

    /** A card key is a secret: only its last four characters are shown. */
    static String masked(String key) {
        String k = key.trim();
        return k.length() <= 4 ? "****" : "****" + k.substring(k.length() - 4);
    }
}

package cn.kameng.refunddesk.complaint;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.complaint.ComplaintSource.AnswerKind;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelComplaint;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelState;
import cn.kameng.refunddesk.complaint.ComplaintSource.HistoryEntry;
import cn.kameng.refunddesk.complaint.ComplaintSource.Party;
import cn.kameng.refunddesk.complaint.ComplaintSource.Resolution;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.Reason;

/**
 * The tables of V14: channel complaints, their history and images, the poll cursors and the answer outbox; and of
 * V16: the images each answer carries.
 */
@Repository
public class ChannelComplaintRecords {

    /** A channel complaint as we took it in. */
    public record Taken(String id, String source, String externalId, ComplaintChannel channel, String complaintId,
            String orderId, String disputeId, String channelTradeId, String problemType, Reason reason,
            String buyerWords, Long amountFen, boolean refundRequested, ChannelState state, String channelStatus,
            Instant complainedAt, Instant replyDueAt, CountedOn replyCountedOn, Instant completeDueAt,
            CountedOn completeCountedOn, Instant receivedAt) {
    }

    /** One line of the negotiation as stored. */
    public record HistoryLine(Instant at, Party by, String channelAction, String text, int imageCount) {
    }

    /** One answer in the outbox. */
    record Answer(String answerKey, String channelComplaintId, int sequence, AnswerKind kind, Resolution resolution,
            String text, LocalDate refundDay, AnswerStatus status, int attempts, Instant nextAttemptAt,
            String lastError) {
    }

    enum AnswerStatus {
        /** Waiting to be sent (or sent again after a failure). */
        PENDING,
        /** The channel took it (or already had it). */
        SENT,
        /** The channel refused it for good; staff were told. */
        REFUSED,
        /** The source does not take this kind of answer; kept for the record. */
        NOT_TAKEN
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value) {
        return value == null ? null : Enum.valueOf(type, value);
    }

    private static final RowMapper<Taken> TAKEN = (rs, i) -> new Taken(rs.getString("id"), rs.getString("source"),
            rs.getString("external_id"), ComplaintChannel.valueOf(rs.getString("channel")), rs.getString("complaint_id"),
            rs.getString("order_id"), rs.getString("dispute_id"), rs.getString("channel_trade_id"),
            rs.getString("problem_type"), enumOf(Reason.class, rs.getString("reason")), rs.getString("buyer_words"),
            (Long) rs.getObject("amount_fen", Long.class), rs.getBoolean("refund_requested"),
            ChannelState.valueOf(rs.getString("state")), rs.getString("channel_status"), instant(rs, "complained_at"),
            instant(rs, "reply_due_at"), enumOf(CountedOn.class, rs.getString("reply_counted_on")),
            instant(rs, "complete_due_at"), enumOf(CountedOn.class, rs.getString("complete_counted_on")),
            instant(rs, "received_at"));

    private static final RowMapper<Answer> ANSWER = (rs, i) -> new Answer(rs.getString("answer_key"),
            rs.getString("channel_complaint_id"), rs.getInt("sequence_no"), AnswerKind.valueOf(rs.getString("kind")),
            enumOf(Resolution.class, rs.getString("resolution")), rs.getString("answer_text"),
            rs.getObject("refund_day", LocalDate.class), AnswerStatus.valueOf(rs.getString("status")),
            rs.getInt("attempts"), instant(rs, "next_attempt_at"), rs.getString("last_error"));

    private final JdbcClient jdbc;

    ChannelComplaintRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // ----- complaints -----

    public Optional<Taken> find(String source, String externalId) {
        return jdbc.sql("select * from channel_complaint where source = ? and external_id = ?")
                .params(source, externalId).query(TAKEN).optional();
    }

    public Optional<Taken> find(String id) {
        return jdbc.sql("select * from channel_complaint where id = ?").param(id).query(TAKEN).optional();
    }

    public Optional<Taken> ofComplaint(String complaintId) {
        return jdbc.sql("select * from channel_complaint where complaint_id = ?").param(complaintId).query(TAKEN)
                .optional();
    }

    /** Every channel complaint about the order, oldest first. */
    public List<Taken> ofOrder(String orderId) {
        return jdbc.sql("select * from channel_complaint where order_id = ? order by received_at, id").param(orderId)
                .query(TAKEN).list();
    }

    public int count() {
        return jdbc.sql("select count(*) from channel_complaint").query(Integer.class).single();
    }

    /** Inserts the complaint as first read; throws DuplicateKeyException when another request took it first. */
    void insert(String id, String source, ComplaintChannel channel, ChannelComplaint c, Reason reason, Instant now) {
        jdbc.sql("""
                insert into channel_complaint (id, source, external_id, channel, order_id, channel_trade_id, problem_type,
                  reason, buyer_words, amount_fen, refund_requested, state, channel_status, complained_at, reply_due_at,
                  reply_counted_on, complete_due_at, complete_counted_on, received_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, source, c.externalId(), channel.name(), c.orderId(), c.channelTradeId(),
                        cut(c.problemType(), 100), reason == null ? null : reason.name(), cut(c.buyerWords(), 4000),
                        c.amountFen(), c.refundRequested(), c.state().name(), cut(c.channelStatus(), 40),
                        ts(c.complainedAt()), ts(replyDue(c)), countedOn(replyDueOf(c)), ts(completeDue(c)),
                        countedOn(completeDueOf(c)), ts(now), ts(now))
                .update();
    }

    void tie(String id, String complaintId, String disputeId) {
        jdbc.sql("update channel_complaint set complaint_id = ?, dispute_id = ? where id = ?")
                .params(complaintId, disputeId, id).update();
    }

    /** Whether the complaints group already decided this untied complaint (tied it or marked it not ours). */
    boolean tieDecided(String id) {
        return jdbc.sql("select count(*) from channel_complaint where id = ? and tie_decision is not null").param(id)
                .query(Integer.class).single() > 0;
    }

    /** The complaints group's decision on an untied complaint, who made it and when. */
    void decideTie(String id, TieDecision decision, String decidedBy, String note, Instant at) {
        jdbc.sql("""
                update channel_complaint set tie_decision = ?, tie_decided_by = ?, tie_decided_at = ?, tie_note = ?
                 where id = ?""")
                .params(decision.name(), decidedBy, ts(at), cut(note, 2000), id).update();
    }

    /** Staff found the complaint's order: it is ours from now on; the order id the channel gave is kept. */
    void retarget(String id, String orderId) {
        jdbc.sql("update channel_complaint set given_order_id = order_id, order_id = ? where id = ?").params(orderId, id)
                .update();
    }

    /** Channel complaints waiting for the complaints group: untied, undecided, not closed at the channel. */
    /** Answers a channel refused for good and nobody has re-sent: they wait for supervisors (whole cluster). */
    int answersRefused() {
        return jdbc.sql("select count(*) from channel_answer where status = 'REFUSED'").query(Integer.class).single();
    }

    /** How long the oldest answer still to be sent has waited, in seconds; 0 when none waits. */
    double oldestPendingAnswerAgeSeconds(Instant now) {
        Timestamp oldest = jdbc.sql("select min(created_at) from channel_answer where status = 'PENDING'")
                .query(Timestamp.class).optional().orElse(null);
        return oldest == null ? 0 : Math.max(0, java.time.Duration.between(oldest.toInstant(), now).toMillis() / 1000.0);
    }

    int untiedWaiting() {
        return jdbc.sql("""
                select count(*) from channel_complaint
                 where complaint_id is null and tie_decision is null and state <> 'CLOSED'""").query(Integer.class)
                .single();
    }

    /** What the channel shows now: status, words, deadlines (the first read's reason and ties stay). */
    void update(String id, ChannelComplaint c, Instant now) {
        jdbc.sql("""
                update channel_complaint set state = ?, channel_status = ?, buyer_words = ?, refund_requested = ?,
                  reply_due_at = ?, reply_counted_on = ?, complete_due_at = ?, complete_counted_on = ?, updated_at = ?
                 where id = ?""")
                .params(c.state().name(), cut(c.channelStatus(), 40), cut(c.buyerWords(), 4000), c.refundRequested(),
                        ts(replyDue(c)), countedOn(replyDueOf(c)), ts(completeDue(c)), countedOn(completeDueOf(c)),
                        ts(now), id)
                .update();
    }

    void replaceHistory(String id, List<HistoryEntry> history) {
        jdbc.sql("delete from channel_complaint_history where channel_complaint_id = ?").param(id).update();
        int position = 0;
        for (HistoryEntry h : history) {
            jdbc.sql("""
                    insert into channel_complaint_history (channel_complaint_id, line_no, happened_at, by_party,
                      channel_action, line_text, image_count) values (?, ?, ?, ?, ?, ?, ?)""")
                    .params(id, position++, ts(h.at()), h.by().name(), cut(h.channelAction(), 100), cut(h.text(), 4000),
                            h.images().size())
                    .update();
        }
    }

    public List<HistoryLine> history(String id) {
        return jdbc.sql("""
                select happened_at, by_party, channel_action, line_text, image_count from channel_complaint_history
                 where channel_complaint_id = ? order by line_no""").param(id)
                .query((rs, i) -> new HistoryLine(instant(rs, "happened_at"), Party.valueOf(rs.getString("by_party")),
                        rs.getString("channel_action"), rs.getString("line_text"), rs.getInt("image_count")))
                .list();
    }

    /** One channel image as recorded: its key, where it was last downloaded from, its evidence (or why none). */
    public record ImageRow(String key, String location, String evidenceId, String note) {
    }

    /** Whether the image of {@code key} is taken (stored, or judged not to be evidence); a claim alone is not. */
    boolean hasImage(String id, String key) {
        return jdbc.sql("""
                select count(*) from channel_complaint_image where channel_complaint_id = ? and reference = ?
                   and (evidence_id is not null or note is not null)""")
                .params(id, cut(key, 1000)).query(Integer.class).single() > 0;
    }

    /**
     * Claims the image of {@code key} for this request to download, until {@code until}: a new row with no
     * evidence yet, or the row of a claim that expired (its holder crashed). False when the image is taken or
     * another request holds it. Runs in its own statement (outside any transaction), before anything is stored.
     */
    boolean claimImage(String id, String key, String location, Instant now, Instant until) {
        try {
            jdbc.sql("""
                    insert into channel_complaint_image (channel_complaint_id, reference, location, claimed_until)
                    values (?, ?, ?, ?)""").params(id, cut(key, 1000), cut(location, 2000), ts(until)).update();
            return true;
        } catch (org.springframework.dao.DuplicateKeyException e) {
            return jdbc.sql("""
                    update channel_complaint_image set claimed_until = ?, location = ?
                     where channel_complaint_id = ? and reference = ? and evidence_id is null and note is null
                       and (claimed_until is null or claimed_until < ?)""")
                    .params(ts(until), cut(location, 2000), id, cut(key, 1000), ts(now)).update() == 1;
        }
    }

    /** Fills in a claimed image: its evidence, or the note why it is none. Call with the evidence's transaction. */
    void imageTaken(String id, String key, String evidenceId, String note) {
        jdbc.sql("""
                update channel_complaint_image set evidence_id = ?, note = ?, claimed_until = null
                 where channel_complaint_id = ? and reference = ?""")
                .params(evidenceId, cut(note, 500), id, cut(key, 1000)).update();
    }

    /** Lets a claim go (the download failed): the next take of the complaint tries the image again. */
    void releaseImage(String id, String key) {
        jdbc.sql("""
                delete from channel_complaint_image
                 where channel_complaint_id = ? and reference = ? and evidence_id is null and note is null""")
                .params(id, cut(key, 1000)).update();
    }

    /** The evidence this complaint's images already gave the dispute with these bytes, if any. */
    Optional<String> imageEvidenceWithBytes(String id, String sha256) {
        return jdbc.sql("""
                select i.evidence_id from channel_complaint_image i join evidence e on e.id = i.evidence_id
                 where i.channel_complaint_id = ? and e.sha256 = ? order by e.uploaded_at, e.id""")
                .params(id, sha256).query(String.class).list().stream().findFirst();
    }

    /** Every image of the complaint as recorded, claims included, by key. */
    public List<ImageRow> images(String id) {
        return jdbc.sql("""
                select reference, location, evidence_id, note from channel_complaint_image where channel_complaint_id = ?
                 order by reference""").param(id)
                .query((rs, i) -> new ImageRow(rs.getString("reference"), rs.getString("location"),
                        rs.getString("evidence_id"), rs.getString("note")))
                .list();
    }

    public List<String> imageEvidence(String id) {
        return jdbc.sql("""
                select distinct evidence_id from channel_complaint_image where channel_complaint_id = ?
                   and evidence_id is not null order by evidence_id""").param(id).query(String.class).list();
    }

    // ----- poll cursors -----

    /** The cursor of {@code source}, made at {@code start} when it has none. */
    Instant cursor(String source, Instant start) {
        Optional<Instant> until = jdbc.sql("select polled_until from channel_poll_cursor where source = ?").param(source)
                .query((rs, i) -> instant(rs, "polled_until")).optional();
        if (until.isPresent()) {
            return until.get();
        }
        try {
            jdbc.sql("insert into channel_poll_cursor (source, polled_until) values (?, ?)").params(source, ts(start))
                    .update();
        } catch (org.springframework.dao.DuplicateKeyException e) {
            // another node made it at the same moment
        }
        return jdbc.sql("select polled_until from channel_poll_cursor where source = ?").param(source)
                .query((rs, i) -> instant(rs, "polled_until")).single();
    }

    /** Claims the source's poll until {@code until}; false when another node holds an unexpired claim. */
    boolean claimPoll(String source, Instant now, Instant until) {
        return jdbc.sql("""
                update channel_poll_cursor set claimed_until = ?
                 where source = ? and (claimed_until is null or claimed_until < ?)""")
                .params(ts(until), source, ts(now)).update() == 1;
    }

    void polled(String source, Instant polledUntil, Instant at, String error) {
        jdbc.sql("""
                update channel_poll_cursor set polled_until = ?, polled_at = ?, claimed_until = null, last_error = ?
                 where source = ?""")
                .params(ts(polledUntil), ts(at), cut(error, 1000), source).update();
    }

    // ----- the answer outbox -----

    /** Adds the answer unless one with its key exists; true when added. Call inside the change's transaction. */
    boolean addAnswer(String answerKey, String channelComplaintId, AnswerKind kind, Resolution resolution, String text,
            LocalDate refundDay, AnswerStatus status, Instant now) {
        if (jdbc.sql("select count(*) from channel_answer where answer_key = ?").param(answerKey).query(Integer.class)
                .single() > 0) {
            return false;
        }
        int sequence = jdbc.sql("select coalesce(max(sequence_no), 0) + 1 from channel_answer where channel_complaint_id = ?")
                .param(channelComplaintId).query(Integer.class).single();
        jdbc.sql("""
                insert into channel_answer (answer_key, channel_complaint_id, sequence_no, kind, resolution, answer_text,
                  refund_day, status, attempts, next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)""")
                .params(answerKey, channelComplaintId, sequence, kind.name(), resolution == null ? null : resolution.name(),
                        cut(text, 4000), refundDay, status.name(), ts(now), ts(now))
                .update();
        return true;
    }

    /**
     * Answers due now that head their complaint's queue: nothing earlier of the same complaint is still pending,
     * so a complaint's answers reach the channel in the order they were written.
     */
    List<Answer> dueAnswers(Instant now, int limit) {
        return jdbc.sql("""
                select a.* from channel_answer a
                 where a.status = 'PENDING' and a.next_attempt_at <= ? and (a.claimed_until is null or a.claimed_until < ?)
                   and not exists (select 1 from channel_answer b where b.channel_complaint_id = a.channel_complaint_id
                                    and b.status = 'PENDING' and b.sequence_no < a.sequence_no)
                 order by a.next_attempt_at, a.answer_key""")
                .params(ts(now), ts(now)).query(ANSWER).list().stream().limit(limit).toList();
    }

    boolean claimAnswer(String answerKey, Instant now, Instant until) {
        return jdbc.sql("""
                update channel_answer set claimed_until = ?
                 where answer_key = ? and status = 'PENDING' and (claimed_until is null or claimed_until < ?)""")
                .params(ts(until), answerKey, ts(now)).update() == 1;
    }

    void answerDone(String answerKey, AnswerStatus status, String detail, Instant at) {
        jdbc.sql("""
                update channel_answer set status = ?, sent_at = ?, last_error = ?, claimed_until = null, attempts = attempts + 1
                 where answer_key = ?""")
                .params(status.name(), ts(at), cut(detail, 1000), answerKey).update();
    }

    void answerFailed(String answerKey, String error, Instant nextAttemptAt) {
        jdbc.sql("""
                update channel_answer set attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_until = null
                 where answer_key = ?""")
                .params(cut(error, 1000), ts(nextAttemptAt), answerKey).update();
    }

    /**
     * The evidence an answer carries, in order (V16, ADR 0071). Call in the transaction that added the answer, so
     * a retry after a restart sends the same images.
     */
    void addAnswerImages(String answerKey, List<String> evidenceIds) {
        int position = 0;
        for (String evidenceId : evidenceIds) {
            jdbc.sql("insert into channel_answer_image (answer_key, position, evidence_id) values (?, ?, ?)")
                    .params(answerKey, position++, evidenceId).update();
        }
    }

    /** The evidence ids of the images an answer carries, in their order. */
    public List<String> answerImages(String answerKey) {
        return jdbc.sql("select evidence_id from channel_answer_image where answer_key = ? order by position")
                .param(answerKey).query(String.class).list();
    }

    /** The answers of one channel complaint in their order, for the record and the tests. */
    List<Answer> answers(String channelComplaintId) {
        return jdbc.sql("select * from channel_answer where channel_complaint_id = ? order by sequence_no")
                .param(channelComplaintId).query(ANSWER).list();
    }

    // ----- answers as staff see them, and re-sent (ADR 0073) -----

    /** One answer of the outbox with all that staff need to judge it. */
    record AnswerView(String answerKey, String channelComplaintId, int sequence, AnswerKind kind, Resolution resolution,
            String text, LocalDate refundDay, AnswerStatus status, int attempts, Instant nextAttemptAt,
            String lastError, Instant createdAt, Instant sentAt, String resentBy, Instant resentAt, int resentCount) {
    }

    private static final RowMapper<AnswerView> ANSWER_VIEW = (rs, i) -> new AnswerView(rs.getString("answer_key"),
            rs.getString("channel_complaint_id"), rs.getInt("sequence_no"), AnswerKind.valueOf(rs.getString("kind")),
            enumOf(Resolution.class, rs.getString("resolution")), rs.getString("answer_text"),
            rs.getObject("refund_day", LocalDate.class), AnswerStatus.valueOf(rs.getString("status")),
            rs.getInt("attempts"), instant(rs, "next_attempt_at"), rs.getString("last_error"), instant(rs, "created_at"),
            instant(rs, "sent_at"), rs.getString("resent_by"), instant(rs, "resent_at"), rs.getInt("resent_count"));

    List<AnswerView> answerViews(String channelComplaintId) {
        return jdbc.sql("select * from channel_answer where channel_complaint_id = ? order by sequence_no")
                .param(channelComplaintId).query(ANSWER_VIEW).list();
    }

    Optional<AnswerView> answerView(String channelComplaintId, String answerKey) {
        return jdbc.sql("select * from channel_answer where channel_complaint_id = ? and answer_key = ?")
                .params(channelComplaintId, answerKey).query(ANSWER_VIEW).optional();
    }

    /** Answers in {@code status}, the most recently settled first, at most {@code limit}. */
    List<AnswerView> answersIn(AnswerStatus status, int limit) {
        return jdbc.sql("""
                select * from channel_answer where status = ?
                 order by coalesce(sent_at, created_at) desc, answer_key limit ?""")
                .params(status.name(), limit).query(ANSWER_VIEW).list();
    }

    /**
     * Puts a refused (or not taken) answer back in the outbox: PENDING, due now, its attempts reset, in its place
     * in the complaint's order; {@code text}, when given, replaces its words. False when the answer is in another
     * status by now (sent, pending): nothing is changed then. Call inside the transaction of the timeline line.
     */
    boolean resend(String channelComplaintId, String answerKey, String text, String by, Instant now) {
        return jdbc.sql("""
                update channel_answer set status = 'PENDING', attempts = 0, next_attempt_at = ?, claimed_until = null,
                  sent_at = null, answer_text = coalesce(?, answer_text), resent_by = ?, resent_at = ?,
                  resent_count = resent_count + 1
                 where channel_complaint_id = ? and answer_key = ? and status in ('REFUSED', 'NOT_TAKEN')""")
                .params(ts(now), cut(text, 4000), cut(by, 64), ts(now), channelComplaintId, answerKey).update() == 1;
    }

    // ----- helpers -----

    private static ComplaintSource.Deadline replyDueOf(ChannelComplaint c) {
        return c.deadlines() == null ? null : c.deadlines().replyDue();
    }

    private static ComplaintSource.Deadline completeDueOf(ChannelComplaint c) {
        return c.deadlines() == null ? null : c.deadlines().completeDue();
    }

    private static Instant replyDue(ChannelComplaint c) {
        var d = replyDueOf(c);
        return d == null ? null : d.dueAt();
    }

    private static Instant completeDue(ChannelComplaint c) {
        var d = completeDueOf(c);
        return d == null ? null : d.dueAt();
    }

    private static String countedOn(ComplaintSource.Deadline d) {
        return d == null || d.countedOn() == null ? null : d.countedOn().name();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    static String cut(String s, int max) {
        if (s == null || s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }
}

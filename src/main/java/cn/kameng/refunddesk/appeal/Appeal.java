package cn.kameng.refunddesk.appeal;

import java.time.Instant;

import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Ruling;

/**
 * The appeal of the ruling in {@code disputeId} by the party it went against ({@code party}, user {@code appellant}),
 * with the ruling and the arbiter it contests; {@code decidedBy} is the different arbiter who decided it.
 */
public record Appeal(String disputeId, Party party, String appellant, Ruling ruling, String ruledBy, String statement,
        Instant filedAt, AppealStatus status, String decidedBy, String decisionNote, Instant decidedAt) {
}

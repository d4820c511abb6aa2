package cn.kameng.refunddesk.complaint;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code dispute.channels.*}: how complaints are taken in from the channels' APIs and answered (ADR 0068).
 * The intervals themselves ({@code poll-interval}, {@code answer-relay-interval}) are read by the schedules.
 */
@ConfigurationProperties(prefix = "dispute.channels")
record ChannelProperties(
        /** The poll runs at all (each source's own setting decides whether the source exists). */
        @DefaultValue("true") boolean pollEnabled,
        /** A source polled for the first time reads back this far. */
        @DefaultValue("P30D") Duration firstPollLookback,
        /** Each poll reads again this much before where the last one ended (lists by date, late entries). */
        @DefaultValue("P1D") Duration pollOverlap,
        /** How long one node holds a source's poll; a crashed node's claim expires after it. */
        @DefaultValue("PT10M") Duration pollClaimFor,
        /** How long one node holds an answer it is sending; longer than any one call can take. */
        @DefaultValue("PT2M") Duration answerClaimFor,
        /**
         * How long one request holds a channel image it is downloading (ADR 0073); a crashed node's claim expires
         * after it and the next take of the complaint downloads the image. Longer than one download can take.
         */
        @DefaultValue("PT5M") Duration imageClaimFor) {

    ChannelProperties {
        for (var d : new Duration[] {firstPollLookback, pollOverlap, pollClaimFor, answerClaimFor, imageClaimFor}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("dispute.channels: durations must not be negative (got " + d + ")");
            }
        }
        if (pollClaimFor.isZero() || answerClaimFor.isZero() || imageClaimFor.isZero()) {
            throw new IllegalArgumentException("dispute.channels.poll-claim-for, answer-claim-for and image-claim-for"
                    + " must be positive");
        }
    }
}

package cn.kameng.refunddesk.scorecard;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** dispute.scorecards.* (application.yaml). */
@ConfigurationProperties(prefix = "dispute.scorecards")
record ScorecardProperties(Integer maxRangeDays) {

    ScorecardProperties {
        if (maxRangeDays == null || maxRangeDays < 1) {
            throw new IllegalArgumentException("dispute.scorecards.max-range-days must be a whole number of days,"
                    + " at least 1 (was " + maxRangeDays + ")");
        }
    }
}

package cn.kameng.refunddesk.calendar;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service-level duration from configuration: either calendar time as an ISO-8601 duration
 * ({@code PT48H}, {@code P7D}) or working days as {@code <n>WD} ({@code 3WD}).
 */
public record Sla(Duration calendarTime, int workingDays) {

    private static final Pattern WORKING_DAYS = Pattern.compile("(\\d{1,3})\\s*WD", Pattern.CASE_INSENSITIVE);

    public Sla {
        if (calendarTime == null && workingDays <= 0) {
            throw new IllegalArgumentException("an SLA needs a positive duration or a positive number of working days");
        }
    }

    /** Spring Boot binds configuration strings through this factory. */
    public static Sla valueOf(String text) {
        String value = text == null ? "" : text.trim();
        Matcher wd = WORKING_DAYS.matcher(value);
        if (wd.matches()) {
            int days = Integer.parseInt(wd.group(1));
            if (days == 0) {
                throw new IllegalArgumentException("'" + text + "' is zero working days; give at least 1WD");
            }
            return new Sla(null, days);
        }
        try {
            Duration duration = Duration.parse(value);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("'" + text + "' is not a positive duration");
            }
            return new Sla(duration, 0);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is neither an ISO-8601 duration such as PT48H or P7D"
                    + " nor a number of working days such as 3WD");
        }
    }

    public boolean inWorkingDays() {
        return calendarTime == null;
    }

    @Override
    public String toString() {
        return inWorkingDays() ? workingDays + "WD" : calendarTime.toString();
    }
}

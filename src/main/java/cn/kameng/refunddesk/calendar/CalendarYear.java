package cn.kameng.refunddesk.calendar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One year of the State Council's calendar, read from {@code cn-official-calendar-<year>.csv}: the header
 * {@code date,kind,festival_zh,festival_en}, then one line per public holiday ({@code HOLIDAY}) and per
 * make-up working day on a weekend ({@code WORKDAY}, 调休). A file with a mistake is refused whole, with
 * the file and line named, never half-read.
 */
record CalendarYear(int year, Map<LocalDate, Kind> days, String source) {

    enum Kind { HOLIDAY, WORKDAY }

    static final Pattern FILE_NAME = Pattern.compile("cn-official-calendar-(\\d{4})\\.csv");
    static final String HEADER = "date,kind,festival_zh,festival_en";

    CalendarYear {
        days = Collections.unmodifiableMap(new HashMap<>(days));
    }

    boolean isWorkingDay(LocalDate day) {
        Kind kind = days.get(day);
        if (kind != null) {
            return kind == Kind.WORKDAY;
        }
        return !isWeekend(day);
    }

    static boolean isWeekend(LocalDate day) {
        return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    /** The year a file is for, from its name, or -1 when the name is not {@code cn-official-calendar-<year>.csv}. */
    static int yearOf(String fileName) {
        Matcher m = FILE_NAME.matcher(fileName);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    static CalendarYear parse(String fileName, String source, String text) {
        int year = yearOf(fileName);
        if (year < 0) {
            throw new InvalidCalendarFile(source, 0, "the file name must be cn-official-calendar-<year>.csv");
        }
        Map<LocalDate, Kind> days = new HashMap<>();
        try (BufferedReader lines = new BufferedReader(new StringReader(text.startsWith("\uFEFF") ? text.substring(1) : text))) {
            String header = lines.readLine();
            if (header == null || !header.strip().equalsIgnoreCase(HEADER)) {
                throw new InvalidCalendarFile(source, 1, "the first line must be the header '" + HEADER + "'");
            }
            int number = 1;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length < 2) {
                    throw new InvalidCalendarFile(source, number, "expected 'date,kind,…' but found '" + line + "'");
                }
                LocalDate day;
                try {
                    day = LocalDate.parse(cells[0].strip());
                } catch (DateTimeParseException e) {
                    throw new InvalidCalendarFile(source, number, "'" + cells[0].strip() + "' is not a date like 2027-01-01");
                }
                if (day.getYear() != year) {
                    throw new InvalidCalendarFile(source, number, day + " is not in " + year + ", the year the file is named for");
                }
                Kind kind;
                try {
                    kind = Kind.valueOf(cells[1].strip());
                } catch (IllegalArgumentException e) {
                    throw new InvalidCalendarFile(source, number, "kind '" + cells[1].strip() + "' is neither HOLIDAY nor WORKDAY");
                }
                if (kind == Kind.WORKDAY && !isWeekend(day)) {
                    throw new InvalidCalendarFile(source, number, day + " is a " + day.getDayOfWeek()
                            + ": WORKDAY lists make-up working days on a weekend (调休) only");
                }
                if (days.putIfAbsent(day, kind) != null) {
                    throw new InvalidCalendarFile(source, number, day + " is listed twice");
                }
            }
        } catch (IOException e) {
            throw new InvalidCalendarFile(source, 0, "unreadable: " + e.getMessage());
        }
        return new CalendarYear(year, days, source);
    }

    /** A calendar file that cannot be used, naming the file, the line and what is wrong. */
    static final class InvalidCalendarFile extends IllegalArgumentException {
        InvalidCalendarFile(String source, int line, String problem) {
            super("calendar file " + source + (line > 0 ? " line " + line : "") + ": " + problem);
        }
    }
}

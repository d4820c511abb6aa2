package cn.kameng.refunddesk.calendar;

import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The official working-day calendar as loaded at one moment: the years the State Council has published,
 * each with its holidays and make-up working days. Immutable; a reload builds a new one. A day in a
 * year with no data is counted Monday to Friday, and the caller is told so ({@link #knows(int)}).
 */
record OfficialCalendar(Map<Integer, CalendarYear> years, List<String> rejectedFiles) {

    OfficialCalendar {
        years = Collections.unmodifiableMap(new TreeMap<>(years));
        rejectedFiles = List.copyOf(rejectedFiles);
    }

    boolean knows(int year) {
        return years.containsKey(year);
    }

    boolean isWorkingDay(LocalDate day) {
        CalendarYear year = years.get(day.getYear());
        return year != null ? year.isWorkingDay(day) : !CalendarYear.isWeekend(day);
    }

    /** The last day of the last year published without a gap from the first; empty when nothing is loaded. */
    Optional<LocalDate> lastKnownDay() {
        if (years.isEmpty()) {
            return Optional.empty();
        }
        int year = ((TreeMap<Integer, CalendarYear>) new TreeMap<>(years)).firstKey();
        while (years.containsKey(year + 1)) {
            year++;
        }
        return Optional.of(LocalDate.of(year, 12, 31));
    }
}

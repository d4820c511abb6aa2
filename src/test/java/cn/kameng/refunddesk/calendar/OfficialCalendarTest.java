package cn.kameng.refunddesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Date;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The official calendar: every 2025 and 2026 holiday and make-up day, files dropped in, and the health. */
class OfficialCalendarTest {

    private final WorkingDays builtIn = WorkingDays.builtIn();

    @TempDir
    Path directory;

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    private static Instant beijing(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(WorkingDays.BEIJING).toInstant();
    }

    @ParameterizedTest(name = "{0} + {1} working days = {2} ({3})")
    @CsvSource(delimiter = '|', textBlock = """
            2024-12-31T10:00 | 1 | 2025-01-02T10:00 | New Year across years: 1 January 2025 is off
            2025-01-24T10:00 | 1 | 2025-01-26T10:00 | Spring Festival 2025: Sunday 26 January is worked
            2025-01-26T10:00 | 1 | 2025-01-27T10:00 | a start on a make-up Sunday counts that day
            2025-01-27T10:00 | 1 | 2025-02-05T10:00 | 28 January to 4 February are off
            2025-02-07T10:00 | 1 | 2025-02-08T10:00 | Saturday 8 February 2025 is worked
            2025-02-08T10:00 | 1 | 2025-02-10T10:00 | a start on a make-up Saturday counts that day
            2025-04-03T10:00 | 1 | 2025-04-07T10:00 | Qingming 2025: 4 to 6 April off
            2025-04-25T10:00 | 1 | 2025-04-27T10:00 | Labour Day 2025: Sunday 27 April is worked
            2025-04-30T10:00 | 1 | 2025-05-06T10:00 | 1 to 5 May 2025 are off
            2025-05-30T10:00 | 1 | 2025-06-03T10:00 | Dragon Boat 2025: 31 May to 2 June off
            2025-09-26T10:00 | 3 | 2025-09-30T10:00 | the Friday before National Day 2025: Sunday 28 September is worked
            2025-09-30T10:00 | 1 | 2025-10-09T10:00 | 1 to 8 October 2025 are off (Mid-autumn on the 6th)
            2025-10-09T10:00 | 2 | 2025-10-11T10:00 | Saturday 11 October 2025 is worked
            2025-10-03T15:00 | 1 | 2025-10-10T00:00 | a start on a holiday counts from the next working day's start
            2025-12-31T10:00 | 1 | 2026-01-04T10:00 | New Year 2026 across years: 1 to 3 January off, Sunday 4 January worked
            2026-02-13T10:00 | 1 | 2026-02-14T10:00 | Spring Festival 2026: Saturday 14 February is worked
            2026-02-14T10:00 | 1 | 2026-02-24T10:00 | 15 to 23 February 2026 are off
            2026-02-27T10:00 | 1 | 2026-02-28T10:00 | Saturday 28 February 2026 is worked
            2026-02-28T10:00 | 1 | 2026-03-02T10:00 | a start on a make-up Saturday counts that day
            2026-04-03T10:00 | 1 | 2026-04-07T10:00 | Qingming 2026: 4 to 6 April off
            2026-04-30T10:00 | 1 | 2026-05-06T10:00 | Labour Day 2026: 1 to 5 May off
            2026-05-08T10:00 | 1 | 2026-05-09T10:00 | Saturday 9 May 2026 is worked
            2026-06-18T10:00 | 1 | 2026-06-22T10:00 | Dragon Boat 2026: 19 to 21 June off
            2026-09-18T10:00 | 1 | 2026-09-20T10:00 | Sunday 20 September 2026 is worked
            2026-09-24T10:00 | 1 | 2026-09-28T10:00 | Mid-autumn 2026: 25 to 27 September off
            2026-09-30T10:00 | 3 | 2026-10-10T10:00 | the golden week: 1 to 7 October off, Saturday 10 October worked
            2026-10-02T09:00 | 1 | 2026-10-09T00:00 | filed in the golden week: counts from 8 October's start
            2026-12-04T16:00 | 1 | 2026-12-07T16:00 | an ordinary weekend
            """)
    void workingDaysFollowTheOfficialCalendar(String start, int days, String expected, String why) {
        assertThat(builtIn.plusWorkingDays(beijing(start), days)).as(why).isEqualTo(beijing(expected));
        assertThat(builtIn.workingDaysBetween(beijing(start), beijing(expected))).as(why).isEqualTo(days);
        assertThat(builtIn.workingDaysBetween(beijing(start), beijing(expected).minusSeconds(1))).as(why)
                .isEqualTo(days - 1);
        assertThat(builtIn.isOfficial(beijing(start), beijing(expected))).isTrue();
    }

    @ParameterizedTest(name = "{0} is a working day: {1}")
    @CsvSource(textBlock = """
            2025-01-01, false
            2025-01-26, true
            2025-10-06, false
            2025-10-11, true
            2026-01-02, false
            2026-01-04, true
            2026-02-14, true
            2026-02-16, false
            2026-02-28, true
            2026-05-09, true
            2026-09-20, true
            2026-09-25, false
            2026-10-07, false
            2026-10-10, true
            2026-12-25, true
            2026-12-26, false
            """)
    void holidaysAndMakeUpDays(LocalDate day, boolean working) {
        assertThat(builtIn.isWorkingDay(day)).isEqualTo(working);
    }

    /**
     * Every holiday and make-up working day the State Council announced for 2025 and 2026, as published
     * (国务院办公厅关于节假日安排的通知): the shipped calendar must agree with each, at noon Beijing time.
     */
    @ParameterizedTest(name = "{0} ({2}, {3}) is {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            2025-01-01 | HOLIDAY | WEDNESDAY | New Year's Day
            2025-01-26 | WORKDAY | SUNDAY    | Spring Festival
            2025-01-28 | HOLIDAY | TUESDAY   | Spring Festival
            2025-01-29 | HOLIDAY | WEDNESDAY | Spring Festival
            2025-01-30 | HOLIDAY | THURSDAY  | Spring Festival
            2025-01-31 | HOLIDAY | FRIDAY    | Spring Festival
            2025-02-01 | HOLIDAY | SATURDAY  | Spring Festival
            2025-02-02 | HOLIDAY | SUNDAY    | Spring Festival
            2025-02-03 | HOLIDAY | MONDAY    | Spring Festival
            2025-02-04 | HOLIDAY | TUESDAY   | Spring Festival
            2025-02-08 | WORKDAY | SATURDAY  | Spring Festival
            2025-04-04 | HOLIDAY | FRIDAY    | Tomb-sweeping Day
            2025-04-05 | HOLIDAY | SATURDAY  | Tomb-sweeping Day
            2025-04-06 | HOLIDAY | SUNDAY    | Tomb-sweeping Day
            2025-04-27 | WORKDAY | SUNDAY    | Labour Day
            2025-05-01 | HOLIDAY | THURSDAY  | Labour Day
            2025-05-02 | HOLIDAY | FRIDAY    | Labour Day
            2025-05-03 | HOLIDAY | SATURDAY  | Labour Day
            2025-05-04 | HOLIDAY | SUNDAY    | Labour Day
            2025-05-05 | HOLIDAY | MONDAY    | Labour Day
            2025-05-31 | HOLIDAY | SATURDAY  | Dragon Boat Festival
            2025-06-01 | HOLIDAY | SUNDAY    | Dragon Boat Festival
            2025-06-02 | HOLIDAY | MONDAY    | Dragon Boat Festival
            2025-09-28 | WORKDAY | SUNDAY    | National Day
            2025-10-01 | HOLIDAY | WEDNESDAY | National Day
            2025-10-02 | HOLIDAY | THURSDAY  | National Day
            2025-10-03 | HOLIDAY | FRIDAY    | National Day
            2025-10-04 | HOLIDAY | SATURDAY  | National Day
            2025-10-05 | HOLIDAY | SUNDAY    | National Day
            2025-10-06 | HOLIDAY | MONDAY    | Mid-autumn Festival
            2025-10-07 | HOLIDAY | TUESDAY   | National Day
            2025-10-08 | HOLIDAY | WEDNESDAY | National Day
            2025-10-11 | WORKDAY | SATURDAY  | National Day
            2026-01-01 | HOLIDAY | THURSDAY  | New Year's Day
            2026-01-02 | HOLIDAY | FRIDAY    | New Year's Day
            2026-01-03 | HOLIDAY | SATURDAY  | New Year's Day
            2026-01-04 | WORKDAY | SUNDAY    | New Year's Day
            2026-02-14 | WORKDAY | SATURDAY  | Spring Festival
            2026-02-15 | HOLIDAY | SUNDAY    | Spring Festival
            2026-02-16 | HOLIDAY | MONDAY    | Spring Festival
            2026-02-17 | HOLIDAY | TUESDAY   | Spring Festival
            2026-02-18 | HOLIDAY | WEDNESDAY | Spring Festival
            2026-02-19 | HOLIDAY | THURSDAY  | Spring Festival
            2026-02-20 | HOLIDAY | FRIDAY    | Spring Festival
            2026-02-21 | HOLIDAY | SATURDAY  | Spring Festival
            2026-02-22 | HOLIDAY | SUNDAY    | Spring Festival
            2026-02-23 | HOLIDAY | MONDAY    | Spring Festival
            2026-02-28 | WORKDAY | SATURDAY  | Spring Festival
            2026-04-04 | HOLIDAY | SATURDAY  | Tomb-sweeping Day
            2026-04-05 | HOLIDAY | SUNDAY    | Tomb-sweeping Day
            2026-04-06 | HOLIDAY | MONDAY    | Tomb-sweeping Day
            2026-05-01 | HOLIDAY | FRIDAY    | Labour Day
            2026-05-02 | HOLIDAY | SATURDAY  | Labour Day
            2026-05-03 | HOLIDAY | SUNDAY    | Labour Day
            2026-05-04 | HOLIDAY | MONDAY    | Labour Day
            2026-05-05 | HOLIDAY | TUESDAY   | Labour Day
            2026-05-09 | WORKDAY | SATURDAY  | Labour Day
            2026-06-19 | HOLIDAY | FRIDAY    | Dragon Boat Festival
            2026-06-20 | HOLIDAY | SATURDAY  | Dragon Boat Festival
            2026-06-21 | HOLIDAY | SUNDAY    | Dragon Boat Festival
            2026-09-20 | WORKDAY | SUNDAY    | National Day
            2026-09-25 | HOLIDAY | FRIDAY    | Mid-autumn Festival
            2026-09-26 | HOLIDAY | SATURDAY  | Mid-autumn Festival
            2026-09-27 | HOLIDAY | SUNDAY    | Mid-autumn Festival
            2026-10-01 | HOLIDAY | THURSDAY  | National Day
            2026-10-02 | HOLIDAY | FRIDAY    | National Day
            2026-10-03 | HOLIDAY | SATURDAY  | National Day
            2026-10-04 | HOLIDAY | SUNDAY    | National Day
            2026-10-05 | HOLIDAY | MONDAY    | National Day
            2026-10-06 | HOLIDAY | TUESDAY   | National Day
            2026-10-07 | HOLIDAY | WEDNESDAY | National Day
            2026-10-10 | WORKDAY | SATURDAY  | National Day
            """)
    void everyAnnouncedDayOf2025And2026(LocalDate day, String kind, DayOfWeek weekday, String festival) {
        assertThat(day.getDayOfWeek()).isEqualTo(weekday);
        boolean working = kind.equals("WORKDAY");
        assertThat(builtIn.isWorkingDay(day)).as("%s %s", festival, kind).isEqualTo(working);
        assertThat(builtIn.isWorkingTime(day.atTime(12, 0).atZone(WorkingDays.BEIJING).toInstant())).isEqualTo(working);
        if (working) {
            assertThat(weekday).as("a make-up day is always a weekend day").isIn(DayOfWeek.SATURDAY,
                    DayOfWeek.SUNDAY);
        } else {
            // one working day from the evening before a holiday never lands on the holiday
            Instant eveningBefore = day.minusDays(1).atTime(18, 0).atZone(WorkingDays.BEIJING).toInstant();
            assertThat(builtIn.plusWorkingDays(eveningBefore, 1).atZone(WorkingDays.BEIJING).toLocalDate())
                    .isNotEqualTo(day);
        }
    }

    @Test
    void workingTimeIsReadInBeijingNotUtc() {
        // 16:30 UTC on Friday 9 October 2026 is 00:30 on the make-up Saturday 10 October in Beijing
        assertThat(builtIn.isWorkingTime(Instant.parse("2026-10-09T16:30:00Z"))).isTrue();
        assertThat(builtIn.isWorkingTime(beijing("2026-10-05T10:00"))).isFalse();
        assertThat(builtIn.isWorkingTime(beijing("2026-10-11T10:00"))).isFalse();
    }

    @Test
    void workingDaysBetweenIsNegativeBackwards() {
        assertThat(builtIn.workingDaysBetween(beijing("2026-10-10T10:00"), beijing("2026-09-30T10:00"))).isEqualTo(-3);
        assertThat(builtIn.workingDaysBetween(beijing("2026-10-03T10:00"), beijing("2026-10-05T10:00"))).isZero();
    }

    @Test
    void aYearWithNoDataIsCountedMondayToFridayAndSaysSo() {
        // 1 January 2027 is a Friday; with no 2027 calendar it is counted as a working day
        assertThat(builtIn.plusWorkingDays(beijing("2026-12-31T10:00"), 1)).isEqualTo(beijing("2027-01-01T10:00"));
        assertThat(builtIn.isOfficial(beijing("2026-12-29T10:00"), beijing("2027-01-01T10:00"))).isFalse();
        assertThat(builtIn.isOfficial(beijing("2026-12-28T10:00"), beijing("2026-12-31T10:00"))).isTrue();
    }

    @Test
    void aFileDroppedIntoTheDirectoryIsUsedWithoutARestart() throws IOException {
        WorkingDays workingDays = new WorkingDays(properties());
        assertThat(workingDays.isWorkingDay(LocalDate.of(2027, 1, 1))).isTrue();

        Files.writeString(directory.resolve("cn-official-calendar-2027.csv"), """
                date,kind,festival_zh,festival_en
                2027-01-01,HOLIDAY,元旦,New Year's Day
                2027-01-02,HOLIDAY,元旦,New Year's Day
                2027-01-03,HOLIDAY,元旦,New Year's Day
                """);
        workingDays.rescan();

        assertThat(workingDays.isWorkingDay(LocalDate.of(2027, 1, 1))).isFalse();
        assertThat(workingDays.plusWorkingDays(beijing("2026-12-31T10:00"), 1)).isEqualTo(beijing("2027-01-04T10:00"));
        assertThat(workingDays.isOfficial(beijing("2026-12-31T10:00"), beijing("2027-01-04T10:00"))).isTrue();
        assertThat(workingDays.calendar().lastKnownDay()).contains(LocalDate.of(2027, 12, 31));
    }

    @Test
    void aFileInTheDirectoryCorrectsABuiltInYear() throws IOException {
        Files.writeString(directory.resolve("cn-official-calendar-2026.csv"), """
                date,kind,festival_zh,festival_en
                2026-12-25,HOLIDAY,测试,a correction
                """);
        WorkingDays workingDays = new WorkingDays(properties());
        assertThat(workingDays.isWorkingDay(LocalDate.of(2026, 12, 25))).isFalse();
        assertThat(workingDays.isWorkingDay(LocalDate.of(2026, 10, 5))).as("the file replaces the year whole").isTrue();
    }

    @Test
    void aWrongFileAtStartStopsTheStartNamingFileAndLine() throws IOException {
        Files.writeString(directory.resolve("cn-official-calendar-2027.csv"), """
                date,kind,festival_zh,festival_en
                2027-01-01,HOLIDAY,元旦,New Year's Day
                2027-02-30,HOLIDAY,春节,Spring Festival
                """);
        assertThatThrownBy(() -> new WorkingDays(properties()))
                .hasMessageContaining("cn-official-calendar-2027.csv line 3")
                .hasMessageContaining("'2027-02-30' is not a date");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a missing header                | cn-official-calendar-2027.csv | 2027-01-01,HOLIDAY,元旦,x                      | line 1: the first line must be the header
            a date of another year          | cn-official-calendar-2027.csv | date,kind,festival_zh,festival_en\\n2028-01-01,HOLIDAY,元旦,x | 2028-01-01 is not in 2027
            an unknown kind                 | cn-official-calendar-2027.csv | date,kind,festival_zh,festival_en\\n2027-01-01,OFF,元旦,x     | kind 'OFF' is neither HOLIDAY nor WORKDAY
            a make-up day on a weekday      | cn-official-calendar-2027.csv | date,kind,festival_zh,festival_en\\n2027-01-06,WORKDAY,x,x    | WORKDAY lists make-up working days on a weekend
            a day listed twice              | cn-official-calendar-2027.csv | date,kind,festival_zh,festival_en\\n2027-01-01,HOLIDAY,x,x\\n2027-01-01,HOLIDAY,x,x | 2027-01-01 is listed twice
            a file name without a year      | holidays-2027.csv             | date,kind,festival_zh,festival_en                            | the file name must be cn-official-calendar-<year>.csv
            """)
    void aWrongFileDroppedLaterIsRefusedWholeAndShownInHealth(String why, String fileName, String content, String problem)
            throws IOException {
        WorkingDays workingDays = new WorkingDays(properties());
        Files.writeString(directory.resolve(fileName), content.replace("\\n", "\n"));
        workingDays.rescan();

        assertThat(workingDays.calendar().years()).as("the other years are kept").containsKeys(2024, 2025, 2026)
                .doesNotContainKey(2027);
        assertThat(workingDays.calendar().rejectedFiles()).singleElement().asString().contains(fileName).contains(problem);
        ClockUtil.setCurrentTime(Date.from(beijing("2026-06-01T10:00")));
        Health health = new CalendarHealth(workingDays, properties()).health();
        assertThat(health.getStatus()).isEqualTo(CalendarHealth.DEGRADED);
        assertThat(health.getDetails().get("rejectedFiles").toString()).contains(problem);
    }

    @Test
    void healthIsDegradedFromThirtyDaysBeforeTheLastKnownYearEnds() throws IOException {
        WorkingDays workingDays = new WorkingDays(properties());
        CalendarHealth health = new CalendarHealth(workingDays, properties());

        // 2026 ends at midnight into 1 January 2027; 30 days before is 2 December 00:00
        ClockUtil.setCurrentTime(Date.from(beijing("2026-12-01T23:59")));
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).containsEntry("lastKnownDay", "2026-12-31");

        ClockUtil.setCurrentTime(Date.from(beijing("2026-12-02T00:00")));
        Health degraded = health.health();
        assertThat(degraded.getStatus()).isEqualTo(CalendarHealth.DEGRADED);
        assertThat(degraded.getDetails().get("problem").toString())
                .contains("ends on 2026-12-31").contains("cn-official-calendar-2027.csv");

        Files.writeString(directory.resolve("cn-official-calendar-2027.csv"), """
                date,kind,festival_zh,festival_en
                2027-01-01,HOLIDAY,元旦,New Year's Day
                """);
        workingDays.rescan();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    private CalendarProperties properties() {
        return new CalendarProperties(directory, Duration.ofMinutes(10), Duration.ofDays(30));
    }
}

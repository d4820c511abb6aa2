package cn.kameng.refunddesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

class SlaTest {

    private final WorkingDays workingDays = WorkingDays.builtIn();

    private static Instant beijing(int y, int m, int d, int h, int min) {
        return ZonedDateTime.of(y, m, d, h, min, 0, 0, WorkingDays.BEIJING).toInstant();
    }

    @Test
    void configurationReadsCalendarTimeAndWorkingDays() {
        assertThat(Sla.valueOf("PT48H").calendarTime()).isEqualTo(Duration.ofHours(48));
        assertThat(Sla.valueOf("P7D").calendarTime()).isEqualTo(Duration.ofDays(7));
        assertThat(Sla.valueOf("3WD").workingDays()).isEqualTo(3);
        assertThat(Sla.valueOf(" 7wd ").inWorkingDays()).isTrue();
        assertThat(Sla.valueOf("3WD")).hasToString("3WD");
    }

    @Test
    void aWrongDurationInConfigurationSaysWhatIsWrong() {
        assertThatThrownBy(() -> Sla.valueOf("48 hours")).hasMessageContaining("PT48H").hasMessageContaining("3WD");
        assertThatThrownBy(() -> Sla.valueOf("0WD")).hasMessageContaining("at least 1WD");
        assertThatThrownBy(() -> Sla.valueOf("-PT1H")).hasMessageContaining("not a positive duration");
    }

    @Test
    void workingDaysSkipTheWeekendAndKeepTheTimeOfDay() {
        // Friday 16:00 + 1 working day = Monday 16:00
        assertThat(workingDays.plusWorkingDays(beijing(2026, 12, 4, 16, 0), 1)).isEqualTo(beijing(2026, 12, 7, 16, 0));
        // Wednesday 10:00 + 3 = Monday 10:00
        assertThat(workingDays.plusWorkingDays(beijing(2026, 12, 2, 10, 0), 3)).isEqualTo(beijing(2026, 12, 7, 10, 0));
    }

    @Test
    void aStartOnAWeekendCountsFromTheNextWorkingDaysStart() {
        // Saturday 15:00 + 1 working day = Tuesday 00:00 (Monday counts from its start)
        assertThat(workingDays.plusWorkingDays(beijing(2026, 12, 5, 15, 0), 1)).isEqualTo(beijing(2026, 12, 8, 0, 0));
    }

    @Test
    void workingDaysAreCountedInBeijingTimeNotUtc() {
        // Friday 2026-12-04 23:30 in Beijing is still Friday 15:30 UTC: + 1 working day = Monday 23:30 Beijing
        assertThat(workingDays.plusWorkingDays(beijing(2026, 12, 4, 23, 30), 1)).isEqualTo(beijing(2026, 12, 7, 23, 30));
    }
}

package dev.tally.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The OCC conflict rate per window, and one alert per crossing of the threshold. */
class ConflictMonitorTest {
    @Test
    void theRateIsConflictsPerCommitAttemptAndAlertsOncePerCrossing() {
        ConflictMonitor m = new ConflictMonitor(0.05, 20, 0, 0);
        ConflictMonitor.Sample quiet = m.sample(100, 2);
        assertThat(quiet.rate()).hasValue(2.0 / 102);
        assertThat(quiet.alert()).isFalse();
        ConflictMonitor.Sample high = m.sample(190, 22);
        assertThat(high.rate()).hasValue(20.0 / 110);
        assertThat(high.alert()).isTrue();
        assertThat(m.sample(280, 42).alert()).as("still high: no second alert").isFalse();
        assertThat(m.sample(380, 42).alert()).isFalse();
        assertThat(m.sample(470, 62).alert())
                .as("high again after a quiet window")
                .isTrue();
    }

    @Test
    void aWindowWithTooFewAttemptsSaysNothing() {
        ConflictMonitor m = new ConflictMonitor(0.05, 20, 10, 0);
        ConflictMonitor.Sample s = m.sample(15, 5);
        assertThat(s.rate()).isEmpty();
        assertThat(s.alert()).isFalse();
    }
}

package dev.tally.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.audit.RunKind;
import dev.tally.core.audit.VerificationRun;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The verification timing chart: one mark per run, failed runs marked apart, no script and no style in it. */
class ChartTest {
    @Test
    void everyRunIsAMarkAndFailedRunsAreMarkedApart() {
        List<VerificationRun> runs = List.of(run(0, 40, true), run(1, 55, false), run(2, 38, true));
        String svg = Chart.svg(runs);
        assertThat(svg).startsWith("<svg").endsWith("</svg>");
        assertThat(count(svg, "class=\"run-ok\"")).isEqualTo(2);
        assertThat(count(svg, "class=\"run-failed\"")).isEqualTo(1);
        assertThat(svg).contains("55 ms FAILED").doesNotContain("<script").doesNotContain("style=");
    }

    @Test
    void anEmptyHistorySaysSo() {
        assertThat(Chart.svg(List.of())).contains("no verification recorded yet");
    }

    private static VerificationRun run(int minute, long ms, boolean valid) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * minute);
        return new VerificationRun(
                UUID.randomUUID(),
                RunKind.VERIFY_FULL,
                at,
                at.plusMillis(ms),
                1,
                10,
                Optional.empty(),
                valid,
                valid ? 0 : 2,
                ms,
                Optional.empty());
    }

    private static int count(String s, String part) {
        return s.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}

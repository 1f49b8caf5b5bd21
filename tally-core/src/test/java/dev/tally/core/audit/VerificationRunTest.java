package dev.tally.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.ledger.Hash;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A recorded run as {@code tally verify --history} lists it. */
class VerificationRunTest {
    private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final Instant START = Instant.parse("2026-02-11T14:23:00.123456Z");

    @Test
    void aVerificationListsItsRangeItsAnchorAndItsOutcome() {
        Hash last = Hash.of(new byte[32]);
        VerificationRun run = new VerificationRun(
                ID,
                RunKind.VERIFY_FULL,
                START,
                START.plusMillis(1500),
                1,
                10,
                Optional.of(last),
                true,
                0,
                1500,
                Optional.of("{}"));
        assertThat(run.toMap())
                .containsExactly(
                        java.util.Map.entry("id", ID.toString()),
                        java.util.Map.entry("kind", "VERIFY_FULL"),
                        java.util.Map.entry("started_at", "2026-02-11T14:23:00.123Z"),
                        java.util.Map.entry("finished_at", "2026-02-11T14:23:01.623Z"),
                        java.util.Map.entry("from_seq", 1L),
                        java.util.Map.entry("to_seq", 10L),
                        java.util.Map.entry("last_hash", last.hex()),
                        java.util.Map.entry("valid", true),
                        java.util.Map.entry("findings_count", 0L),
                        java.util.Map.entry("duration_ms", 1500L));
    }

    @Test
    void aRunWithoutALastEntryListsNoHashAndNeverItsReport() {
        VerificationRun run = new VerificationRun(
                ID,
                RunKind.RECONCILE,
                START,
                START,
                1,
                0,
                Optional.empty(),
                false,
                2,
                0,
                Optional.of("{\"valid\":false}"));
        assertThat(run.toMap()).doesNotContainKeys("last_hash", "report").containsEntry("findings_count", 2L);
    }
}

package dev.tally.core.audit;

import static dev.tally.core.audit.TestChains.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What a verification report says, in its message and in the seed's JSON fields. */
class VerificationReportTest {
    private static final Link FIRST = new Link(1, Optional.of("mint-1"), new byte[32], 1_770_819_780_123_456L);
    private static final Link LAST = new Link(10, Optional.of("tx-10"), new byte[32], 1_770_819_790_123_456L);

    private static VerificationReport report(
            VerifyOptions.Mode mode,
            long from,
            long to,
            long verified,
            List<Finding> findings,
            Optional<Finding> firstError,
            Optional<String> note) {
        long errors = findings.stream().filter(Finding::isError).count();
        return new VerificationReport(
                mode,
                from,
                to,
                to,
                verified,
                Optional.of(FIRST),
                Optional.of(LAST),
                findings,
                findings.size(),
                errors,
                firstError,
                T0,
                Duration.ofMillis(20),
                note);
    }

    private static Finding tampered(long seq) {
        return new Finding(
                FindingType.TRANSACTION_TAMPERED,
                OptionalLong.of(seq),
                Optional.of("tx-" + seq),
                "Transaction #" + seq + " has been tampered with",
                Map.of("transaction_id", "tx-" + seq));
    }

    @Test
    void aFullRunWithoutErrorsSaysHowManyTransactionsAreValid() {
        VerificationReport r =
                report(VerifyOptions.Mode.FULL, 1, 10, 10, List.of(), Optional.empty(), Optional.empty());

        assertThat(r.valid()).isTrue();
        assertThat(r.message()).isEqualTo("✅ Blockchain integrity verified: All 10 transactions are valid");
        assertThat(r.transactionsVerifiedBeforeFailure()).isEqualTo(10);
        assertThat(r.nextRecommendedCheck()).isEqualTo(T0.plusMillis(20).plus(VerificationReport.RECHECK_AFTER));
    }

    @Test
    void anIncrementalRunNamesTheRangeItVerified() {
        VerificationReport r =
                report(VerifyOptions.Mode.INCREMENTAL, 6, 10, 5, List.of(), Optional.empty(), Optional.empty());

        assertThat(r.message())
                .isEqualTo("✅ Blockchain integrity verified: All 5 new transactions (#6 to #10) are valid");
    }

    @Test
    void anIncrementalRunWithNothingNewSaysSince() {
        VerificationReport r =
                report(VerifyOptions.Mode.INCREMENTAL, 11, 10, 0, List.of(), Optional.empty(), Optional.empty());

        assertThat(r.message()).isEqualTo("✅ Blockchain integrity verified: No new transactions since #10");
    }

    @Test
    void aValidReportShowsTheSeedsFieldsThenTallysAdditions() {
        Map<String, Object> m = report(
                        VerifyOptions.Mode.FULL, 1, 10, 10, List.of(), Optional.empty(), Optional.of("a note"))
                .toMap();

        assertThat(m)
                .containsEntry("valid", true)
                .containsEntry("total_transactions", 10L)
                .containsEntry("mode", "full")
                .containsEntry("transactions_verified", 10L)
                .containsEntry("findings_truncated", 0L)
                .containsEntry("note", "a note")
                .containsKeys(
                        "first_transaction",
                        "last_transaction",
                        "performance",
                        "next_recommended_check",
                        "verified_range")
                .doesNotContainKey("error_type");
        assertThat(m.keySet()).startsWith("valid", "message", "total_transactions");
    }

    @Test
    void aFailedReportLeadsWithItsFirstErrorAndHowFarItGot() {
        Finding error = tampered(4);
        VerificationReport r =
                report(VerifyOptions.Mode.FULL, 1, 10, 10, List.of(error), Optional.of(error), Optional.empty());

        Map<String, Object> m = r.toMap();

        assertThat(r.valid()).isFalse();
        assertThat(r.message()).isEqualTo("Transaction #4 has been tampered with");
        assertThat(r.transactionsVerifiedBeforeFailure()).isEqualTo(3);
        assertThat(m)
                .containsEntry("valid", false)
                .containsEntry("error_type", "TRANSACTION_TAMPERED")
                .containsEntry("transaction_id", "tx-4")
                .containsEntry("transactions_verified_before_failure", 3L)
                .containsEntry("security_recommendation", FindingType.TRANSACTION_TAMPERED.securityRecommendation());
    }

    @Test
    void anErrorWithoutAPositionCountsNothingAsVerifiedBeforeIt() {
        Finding headless = new Finding(
                FindingType.HASH_CHAIN_BROKEN, OptionalLong.empty(), Optional.empty(), "the head moved", Map.of());
        VerificationReport r =
                report(VerifyOptions.Mode.FULL, 1, 10, 10, List.of(headless), Optional.of(headless), Optional.empty());

        assertThat(r.transactionsVerifiedBeforeFailure()).isZero();
    }
}

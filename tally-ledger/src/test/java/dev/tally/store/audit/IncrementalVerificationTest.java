package dev.tally.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.audit.AnchorKey;
import dev.tally.core.audit.FindingType;
import dev.tally.core.audit.RunKind;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerificationRun;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.ledger.Hash;
import dev.tally.store.testing.StoreKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Incremental verification starts from the last successful run's anchor (its last entry and that entry's
 * recorded hash) and reads only what came after; every run is recorded.
 */
class IncrementalVerificationTest {
    /** The anchor key of these runs: only a run it authenticates anchors an incremental one. */
    static final AnchorKey KEY = new AnchorKey(new byte[32]);

    private static final VerifyOptions FULL = VerifyOptions.full().withAnchorKey(KEY);
    private static final VerifyOptions INCREMENTAL = VerifyOptions.incremental().withAnchorKey(KEY);

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutAnAnchorKeyAnIncrementalRunIsAFullOneAndSaysWhy(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 10)) {
            f.ledger.audit().verifyChainIntegrity(FULL);
            f.append(5);

            VerificationReport r = f.ledger.audit().verifyChainIntegrity(VerifyOptions.incremental());

            assertThat(r.valid()).isTrue();
            assertThat(r.mode()).isEqualTo(VerifyOptions.Mode.FULL);
            assertThat(r.transactionsVerified()).isEqualTo(15);
            assertThat(r.note()).hasValueSatisfying(n -> assertThat(n).startsWith("No anchor key given"));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutAnEarlierRunAnIncrementalRunIsAFullOneAndSaysSo(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 10)) {
            VerificationReport r = f.ledger.audit().verifyChainIntegrity(INCREMENTAL);

            assertThat(r.valid()).isTrue();
            assertThat(r.mode()).isEqualTo(VerifyOptions.Mode.FULL);
            assertThat(r.toMap())
                    .containsEntry("mode", "full")
                    .containsEntry(
                            "note",
                            "No earlier successful run is authenticated by anchor key " + KEY.keyId()
                                    + ": ran a full verification.");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void afterAppendsOnlyTheNewEntriesAreVerified(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            f.ledger.audit().verifyChainIntegrity(FULL);
            f.append(30);

            VerificationReport r = f.ledger.audit().verifyChainIntegrity(INCREMENTAL);

            assertThat(r.valid()).isTrue();
            assertThat(r.mode()).isEqualTo(VerifyOptions.Mode.INCREMENTAL);
            assertThat(r.transactionsVerified()).isEqualTo(30);
            assertThat(r.toMap())
                    .containsEntry("mode", "incremental")
                    .containsEntry("total_transactions", 50L)
                    .containsEntry("verified_range", Map.of("from_seq", 21L, "to_seq", 50L))
                    .containsEntry(
                            "message",
                            "✅ Blockchain integrity verified: All 30 new transactions (#21 to #50) are valid");
            assertThat(ChainVerificationTest.map(r.toMap(), "first_transaction"))
                    .containsEntry("id", "tx-21");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withNothingNewAnIncrementalRunReadsNothingAndIsValid(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            f.ledger.audit().verifyChainIntegrity(FULL);

            VerificationReport r = f.ledger.audit().verifyChainIntegrity(INCREMENTAL);

            assertThat(r.valid()).isTrue();
            assertThat(r.transactionsVerified()).isZero();
            assertThat(r.toMap())
                    .containsEntry("message", "✅ Blockchain integrity verified: No new transactions since #20");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void tamperingInTheNewRangeIsFound(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            f.ledger.audit().verifyChainIntegrity(FULL);
            f.append(10);
            f.sql(
                    "UPDATE ledger_entries SET amount_gross = amount_gross + 100, amount_net = amount_net + 100 WHERE seq = 25");

            VerificationReport r = f.ledger.audit().verifyChainIntegrity(INCREMENTAL);

            assertThat(r.valid()).isFalse();
            assertThat(r.firstError().orElseThrow().type()).isEqualTo(FindingType.TRANSACTION_TAMPERED);
            assertThat(r.firstError().orElseThrow().index()).hasValue(24);
            assertThat(r.toMap()).containsEntry("transactions_verified_before_failure", 4L);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFailedRunIsNoAnchorSoTheNextIncrementalRunLooksAgain(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            f.ledger.audit().verifyChainIntegrity(FULL);
            f.append(10);
            f.sql("DELETE FROM ledger_entries WHERE seq = 27");
            f.ledger.audit().verifyChainIntegrity(INCREMENTAL);

            VerificationReport again = f.ledger.audit().verifyChainIntegrity(INCREMENTAL);

            assertThat(again.valid()).isFalse();
            assertThat(again.toMap()).containsEntry("verified_range", Map.of("from_seq", 21L, "to_seq", 30L));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aChangedAnchorEntryIsAnAnchorMismatch(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            f.ledger.audit().verifyChainIntegrity(FULL);
            f.append(5);
            f.sql(
                    "UPDATE ledger_entries SET current_hash = ? WHERE seq = 20",
                    Hash.ofHex("99".repeat(32)).bytes());

            VerificationReport r = f.ledger.audit().verifyChainIntegrity(INCREMENTAL);

            assertThat(r.valid()).isFalse();
            assertThat(r.firstError().orElseThrow().type()).isEqualTo(FindingType.ANCHOR_MISMATCH);
            assertThat(r.firstError().orElseThrow().index()).hasValue(19);
            assertThat(r.toMap()).containsEntry("error_type", "ANCHOR_MISMATCH");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void tamperingBeforeTheAnchorNeedsAFullRun(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            f.ledger.audit().verifyChainIntegrity(FULL);
            f.sql(
                    "UPDATE ledger_entries SET amount_gross = amount_gross + 100, amount_net = amount_net + 100 WHERE seq = 5");
            f.append(5);

            assertThat(f.ledger.audit().verifyChainIntegrity(INCREMENTAL).valid())
                    .as("an incremental run trusts what earlier runs verified")
                    .isTrue();
            VerificationReport full = f.ledger.audit().verifyChainIntegrity(FULL);
            assertThat(full.valid()).isFalse();
            assertThat(full.firstError().orElseThrow().index()).hasValue(4);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyRunIsRecordedNewestFirst(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            f.ledger.audit().verifyChainIntegrity(FULL);
            f.append(5);
            f.ledger.audit().verifyChainIntegrity(INCREMENTAL);
            f.ledger.audit().reconcile();
            f.sql("DELETE FROM ledger_entries WHERE seq = 3");
            f.ledger.audit().verifyChainIntegrity(FULL);

            List<VerificationRun> history = f.ledger.audit().history(10);

            assertThat(history)
                    .extracting(VerificationRun::kind)
                    .containsExactly(
                            RunKind.VERIFY_FULL, RunKind.RECONCILE, RunKind.VERIFY_INCREMENTAL, RunKind.VERIFY_FULL);
            assertThat(history).extracting(VerificationRun::valid).containsExactly(false, true, true, true);
            VerificationRun incremental = history.get(2);
            assertThat(incremental.fromSeq()).isEqualTo(21);
            assertThat(incremental.toSeq()).isEqualTo(25);
            assertThat(incremental.lastHash()).contains(f.entry(25).currentHash());
            assertThat(history.get(0).findingsCount()).isEqualTo(2);
            assertThat(history.get(3).toMap())
                    .containsKeys(
                            "id",
                            "kind",
                            "started_at",
                            "finished_at",
                            "from_seq",
                            "to_seq",
                            "last_hash",
                            "valid",
                            "findings_count",
                            "duration_ms");
            assertThat(f.ledger.audit().history(1)).hasSize(1);
        }
    }
}

package dev.tally.store.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.audit.FindingType;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.ledger.Hash;
import dev.tally.store.testing.StoreKind;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ledgers big enough to be verified in several ranges at once: a tampering at a range boundary is found
 * as in one pass, progress is reported, and a run that races with writers sees a consistent chain.
 */
class LargeLedgerVerificationTest {
    private static final int ENTRIES = 12_000;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void tamperingAtRangeBoundariesIsFoundAsInOnePass(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            // Ranges hold at least 4,096 positions, so 12,000 split in two: 1-6,000 and 6,001-12,000.
            f.sql(
                    "UPDATE ledger_entries SET current_hash = ? WHERE seq = 6000",
                    Hash.ofHex("aa".repeat(32)).bytes());
            f.sql("DELETE FROM ledger_entries WHERE seq = 8193");
            f.sql(
                    "UPDATE ledger_entries SET amount_gross = amount_gross + 1, amount_net = amount_net + 1 WHERE seq = 12000");

            VerificationReport parallel =
                    f.ledger.audit().verifyChainIntegrity(VerifyOptions.full().withParallelism(4));
            VerificationReport onePass =
                    f.ledger.audit().verifyChainIntegrity(VerifyOptions.full().withScan(VerifyOptions.Scan.STREAMING));

            assertThat(parallel.findings()).isEqualTo(onePass.findings());
            assertThat(parallel.findings())
                    .extracting(x -> x.type() + "@" + x.seq().orElse(-1))
                    .containsExactly(
                            "TRANSACTION_TAMPERED@6000",
                            "HASH_CHAIN_BROKEN@6001",
                            "MISSING_TRANSACTION@8193",
                            "HASH_CHAIN_BROKEN@8194",
                            "TRANSACTION_TAMPERED@12000");
            assertThat(parallel.transactionsVerified()).isEqualTo(ENTRIES - 1);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUntouchedLedgerIsValidFullyAndIncrementallyAndReportsProgress(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, ENTRIES)) {
            AtomicLong seen = new AtomicLong();
            AtomicLong total = new AtomicLong();

            VerificationReport full = f.ledger
                    .audit()
                    .verifyChainIntegrity(VerifyOptions.full()
                            .withParallelism(3)
                            .withAnchorKey(IncrementalVerificationTest.KEY)
                            .withProgress((verified, of) -> {
                                seen.accumulateAndGet(verified, Math::max);
                                total.set(of);
                            }));
            f.append(1000);
            VerificationReport incremental = f.ledger
                    .audit()
                    .verifyChainIntegrity(VerifyOptions.incremental().withAnchorKey(IncrementalVerificationTest.KEY));

            assertThat(full.valid()).isTrue();
            assertThat(seen.get()).isEqualTo(ENTRIES);
            assertThat(total.get()).isEqualTo(ENTRIES);
            assertThat(incremental.valid()).isTrue();
            assertThat(incremental.transactionsVerified()).isEqualTo(1000);
            assertThat(f.ledger.audit().reconcile().valid()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRunThatRacesWithWritersSeesAConsistentChain(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 5000)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 20; i++) {
                    f.append(100);
                }
            });
            int runs = 0;
            while (!writer.isDone() || runs < 3) {
                VerificationReport r = f.ledger
                        .audit()
                        .verifyChainIntegrity(VerifyOptions.full().withParallelism(2));
                assertThat(r.findings()).as("run %d", runs).isEmpty();
                runs++;
            }
            writer.join();
            assertThat(f.ledger.audit().verifyChainIntegrity().valid()).isTrue();
            assertThat(f.ledger.audit().reconcile().findings())
                    .extracting(x -> x.type())
                    .doesNotContain(FindingType.BALANCE_MISMATCH);
        }
    }
}

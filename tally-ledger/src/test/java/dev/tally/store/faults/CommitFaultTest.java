package dev.tally.store.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.engine.Outcome;
import dev.tally.core.error.LedgerHaltedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.error.StoreException;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.FaultyDataSource;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failures injected below the sequencer, in the database connection of the writer: before the commit is
 * sent (rolled back, the writer goes on) and at the commit (outcome unknown, the writer halts). Each time
 * a caller hears an error or a durable success, never a lie, and a reopened store holds every acknowledged
 * entry, nothing half-written, and passes verification and reconciliation.
 */
@SuppressWarnings("try") // the tests close a ledger early, to reopen its store and check what it holds
class CommitFaultTest {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aConnectionLostWhileTheBatchIsWrittenRollsBackAndTheWriterGoesOn(StoreKind kind) {
        try (FaultyLedger f = FaultyLedger.open(TestStores.freshLocation(kind))) {
            f.pay("before");
            String before = dump(f);
            f.faults.failNextWrite(real -> {
                throw FaultyDataSource.connectionLost("while the batch was written");
            });

            assertThatThrownBy(() -> f.ledger.submit(f.transfer("lost")).join())
                    .hasCauseInstanceOf(StoreException.class);

            assertThat(dump(f)).as("nothing of the failed batch was written").isEqualTo(before);
            assertThat(f.ledger.stats().writer().halted())
                    .as("a rolled-back failure does not stop the writer")
                    .isFalse();
            f.pay("lost");
            f.pay("after");
            f.close();
            FaultyLedger.reopenAndCheck(f.location, f.acknowledged).close();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBatchThatRollsBackTakesItsBalanceSnapshotsWithIt(StoreKind kind) {
        try (FaultyLedger f = FaultyLedger.open(TestStores.freshLocation(kind))) {
            String before = dump(f);
            f.faults.failNextWrite(real -> {
                throw FaultyDataSource.connectionLost("while the batch was written");
            });

            // bob's first EUR entry (and the treasury's first tax) opens a balance: the batch carries openings.
            assertThatThrownBy(() -> f.ledger.submit(f.transfer("lost")).join())
                    .hasCauseInstanceOf(StoreException.class);

            assertThat(dump(f))
                    .as("neither the entry nor its snapshot was written")
                    .isEqualTo(before);
            f.pay("after");
            LedgerStore store = LedgerInternals.store(f.ledger);
            assertThat(StoreSql.scalar(store, "SELECT COUNT(*) FROM balance_snapshots"))
                    .as("the batch written in its place stores its openings")
                    .isNotEqualTo("0");
            assertThat(StoreSql.scalar(store, "SELECT COUNT(*) FROM balance_snapshots WHERE seq <> 1 OR NOT opening"))
                    .as("every snapshot is an opening just before the batch that was written")
                    .isEqualTo("0");
            assertThat(f.ledger.audit().reconcile().valid()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCommitThatFailsWithoutCommittingHaltsTheWriterAndLeavesNothingHalfWritten(StoreKind kind) {
        try (FaultyLedger f = FaultyLedger.open(TestStores.freshLocation(kind))) {
            f.pay("before");
            f.faults.failNextCommit(real -> {
                real.rollback();
                throw FaultyDataSource.connectionLost("at the commit");
            });

            LedgerHaltedException halted = haltedFailure(f.ledger.submit(f.transfer("in-doubt")));

            assertThat(halted.mayHaveBeenWritten())
                    .as("its commit was not confirmed")
                    .isTrue();
            assertThat(f.ledger.stats().writer().halted()).isTrue();
            assertThat(f.ledger.stats().writer().reason()).contains("outcome is unknown");
            f.close();
            try (Ledger again = FaultyLedger.reopenAndCheck(f.location, f.acknowledged)) {
                assertThat(again.reads().findEntry("in-doubt"))
                        .as("not committed, so not there")
                        .isEmpty();
                assertThat(again.submit(f.transfer("in-doubt")).join())
                        .as("the resend writes it once")
                        .isInstanceOf(Outcome.Written.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCommitThatSucceedsUnconfirmedHaltsTheWriterAndItsResendIsAReplay(StoreKind kind) {
        try (FaultyLedger f = FaultyLedger.open(TestStores.freshLocation(kind))) {
            f.faults.failNextCommit(real -> {
                real.commit();
                throw FaultyDataSource.connectionLost("after the commit, before its answer");
            });

            LedgerHaltedException halted = haltedFailure(f.ledger.submit(f.transfer("in-doubt")));

            assertThat(halted.mayHaveBeenWritten()).isTrue();
            f.close();
            try (Ledger again = FaultyLedger.reopenAndCheck(f.location, f.acknowledged)) {
                assertThat(again.reads().findEntry("in-doubt"))
                        .as("committed after all, as a whole")
                        .isPresent();
                assertThat(again.submit(f.transfer("in-doubt")).join())
                        .as("never written twice")
                        .isInstanceOf(Outcome.Replayed.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aConnectionClosedAtTheCommitHaltsTheWriterAndTheBatchIsNotWritten(StoreKind kind) {
        try (FaultyLedger f = FaultyLedger.open(TestStores.freshLocation(kind))) {
            f.faults.failNextCommit(FaultyDataSource.closeThenCommit());

            assertThat(haltedFailure(f.ledger.submit(f.transfer("in-doubt"))).mayHaveBeenWritten())
                    .isTrue();
            f.close();
            try (Ledger again = FaultyLedger.reopenAndCheck(f.location, f.acknowledged)) {
                assertThat(again.reads().findEntry("in-doubt")).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void afterAnUnconfirmedCommitEveryLaterSubmissionIsRefusedUnwritten(StoreKind kind) {
        try (FaultyLedger f = FaultyLedger.open(TestStores.freshLocation(kind))) {
            f.faults.failNextCommit(real -> {
                real.rollback();
                throw FaultyDataSource.connectionLost("at the commit");
            });
            haltedFailure(f.ledger.submit(f.transfer("in-doubt")));
            String halted = dump(f);

            LedgerHaltedException refused = haltedFailure(f.ledger.submit(f.transfer("later")));

            assertThat(refused.code()).isEqualTo(RejectionCode.LEDGER_HALTED);
            assertThat(refused.mayHaveBeenWritten()).isFalse();
            assertThat(dump(f)).isEqualTo(halted);
        }
    }

    static LedgerHaltedException haltedFailure(CompletableFuture<?> future) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(future::join);
        assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(LedgerHaltedException.class);
        return (LedgerHaltedException) t.getCause();
    }

    private static String dump(FaultyLedger f) {
        return StoreSql.dump(LedgerInternals.store(f.ledger));
    }
}

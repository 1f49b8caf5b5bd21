package dev.tally.ledger.sequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.engine.BatchExtension;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.error.LedgerHaltedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.error.StoreException;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.faults.FaultyLedgers;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The writer stops on a failure it does not understand (here injected by a batch extension, which runs
 * while a batch is decided and before it commits) and goes on after one that rolled back cleanly.
 */
class WriterHaltTest {

    @Test
    void anUnexpectedExceptionWhileABatchIsPreparedHaltsTheWriterAndWritesNothing() {
        try (Ledger ledger = TestStores.freshLedger(StoreKind.SQLITE)) {
            Fault fault = Fault.install(ledger);
            String before = dump(ledger);
            fault.next(() -> new IllegalStateException("injected: an invariant does not hold"));

            LedgerHaltedException halted = haltedFailure(ledger.submit(FaultyLedgers.openAccount("carol")));

            assertThat(halted.mayHaveBeenWritten())
                    .as("the batch never reached the store")
                    .isFalse();
            assertThat(halted.code()).isEqualTo(RejectionCode.LEDGER_HALTED);
            assertThat(dump(ledger)).isEqualTo(before);
        }
    }

    @Test
    void anErrorWhileABatchIsPreparedHaltsTheWriterToo() {
        try (Ledger ledger = TestStores.freshLedger(StoreKind.SQLITE)) {
            Fault.install(ledger).next(() -> new Error("injected: the JVM is in trouble"));

            haltedFailure(ledger.submit(FaultyLedgers.openAccount("carol")));

            assertThat(ledger.stats().writer().halted()).isTrue();
        }
    }

    @Test
    void theHealthOfAHaltedWriterSaysWhyAndSince() {
        try (Ledger ledger = TestStores.freshLedger(StoreKind.SQLITE)) {
            assertThat(ledger.stats().writer()).isEqualTo(WriterHealth.running());
            Fault.install(ledger).next(() -> new IllegalStateException("injected: balances disagree"));

            haltedFailure(ledger.submit(FaultyLedgers.openAccount("carol")));

            WriterHealth health = ledger.stats().writer();
            assertThat(health.halted()).isTrue();
            assertThat(health.reason()).contains("IllegalStateException", "balances disagree");
            assertThat(health.since()).isPresent();
        }
    }

    @Test
    void aHaltedWriterRefusesEveryLaterSubmissionAndWritesNothing() {
        try (Ledger ledger = TestStores.freshLedger(StoreKind.SQLITE)) {
            Fault.install(ledger).next(() -> new IllegalStateException("injected"));
            haltedFailure(ledger.submit(FaultyLedgers.openAccount("carol")));
            String halted = dump(ledger);

            LedgerHaltedException single = haltedFailure(ledger.submit(FaultyLedgers.openAccount("dave")));
            LedgerHaltedException linked =
                    haltedFailure(ledger.submitLinked(List.of(FaultyLedgers.openAccount("erin"))));

            assertThat(single.mayHaveBeenWritten()).isFalse();
            assertThat(linked.code()).isEqualTo(RejectionCode.LEDGER_HALTED);
            assertThatThrownBy(
                            () -> ledger.createAccount("frank", "frank@example.com", dev.tally.core.account.Role.USER))
                    .isInstanceOf(LedgerHaltedException.class);
            assertThat(dump(ledger)).isEqualTo(halted);
        }
    }

    @Test
    void commandsQueuedBehindTheFailingBatchGetTheSameFailureUnwritten() throws Exception {
        try (Ledger ledger = TestStores.freshLedger(StoreKind.SQLITE)) {
            Fault fault = Fault.install(ledger);
            CountDownLatch stuck = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            fault.next(() -> {
                stuck.countDown();
                await(release);
                return new IllegalStateException("injected");
            });
            CompletableFuture<Outcome> failing = ledger.submit(FaultyLedgers.openAccount("carol"));
            assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Outcome>> queued = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                queued.add(ledger.submit(FaultyLedgers.openAccount("queued" + i)));
            }

            release.countDown();

            haltedFailure(failing);
            for (CompletableFuture<Outcome> q : queued) {
                assertThat(haltedFailure(q).mayHaveBeenWritten()).isFalse();
            }
            for (int i = 0; i < 5; i++) {
                assertThat(ledger.reads().findAccount("queued" + i)).isEmpty();
            }
        }
    }

    @Test
    void aStoreFailureThatRolledBackFailsOnlyItsBatchAndTheWriterGoesOn() {
        try (Ledger ledger = TestStores.freshLedger(StoreKind.SQLITE)) {
            Fault.install(ledger)
                    .next(() -> new StoreException("injected: the disk said no", new java.io.IOException("EIO")));

            assertThatThrownBy(() ->
                            ledger.submit(FaultyLedgers.openAccount("carol")).join())
                    .hasCauseInstanceOf(StoreException.class);

            assertThat(ledger.stats().writer().halted()).isFalse();
            assertThat(ledger.submit(FaultyLedgers.openAccount("carol")).join().ok())
                    .isTrue();
        }
    }

    @Test
    void closingAHaltedLedgerReturnsAtOnce() {
        Ledger ledger = TestStores.freshLedger(StoreKind.SQLITE);
        Fault.install(ledger).next(() -> new IllegalStateException("injected"));
        haltedFailure(ledger.submit(FaultyLedgers.openAccount("carol")));
        long start = System.nanoTime();

        ledger.close();

        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
    }

    private static LedgerHaltedException haltedFailure(CompletableFuture<?> future) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> future.get(30, TimeUnit.SECONDS));
        assertThat(t).isNotNull();
        Throwable cause = t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException
                ? t.getCause()
                : t;
        assertThat(cause).isInstanceOf(LedgerHaltedException.class);
        return (LedgerHaltedException) cause;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String dump(Ledger ledger) {
        return StoreSql.dump(LedgerInternals.store(ledger));
    }

    /** A batch extension that throws, once, what the test asks for. */
    private static final class Fault implements BatchExtension {
        private final AtomicReference<Supplier<? extends Throwable>> next = new AtomicReference<>();

        static Fault install(Ledger ledger) {
            Fault f = new Fault();
            LedgerInternals.sequencer(ledger).addExtension(f);
            return f;
        }

        void next(Supplier<? extends Throwable> failure) {
            next.set(failure);
        }

        @Override
        public WriteSet extend(WriteSet batch) {
            Supplier<? extends Throwable> failure = next.getAndSet(null);
            if (failure != null) {
                Throwable t = failure.get();
                if (t instanceof RuntimeException r) {
                    throw r;
                }
                throw (Error) t;
            }
            return batch;
        }

        @Override
        public void committed(WriteSet batch) {}

        @Override
        public void invalidate() {}
    }
}

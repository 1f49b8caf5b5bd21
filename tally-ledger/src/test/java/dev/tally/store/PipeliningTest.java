package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.BatchExtension;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Rules;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Money;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.sequencer.SequencerOptions;
import dev.tally.ledger.testing.Invariants;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sequencer decides a batch while the one before it commits. These tests fill one batch to the limit
 * and send a second right behind it that depends on the first, and check that every outcome is what the
 * serial order gives, without a version conflict to fall back on.
 */
class PipeliningTest {
    private static final EntryContext CTX = EntryContext.actor("test");
    private static final int BATCH = 512;

    private static Ledger ledger(StoreKind kind, Rules rules) {
        return Ledger.open(
                TestStores.config(kind).withRules(rules).withSequencer(SequencerOptions.DEFAULTS.withMaxBatch(BATCH)));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBatchDecidedWhileTheOneBeforeCommitsSeesItsEntriesAndReversals(StoreKind kind) {
        try (Ledger ledger = ledger(kind, Rules.defaults())) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m", alice.id(), ledger.money("1000.00", "EUR"), CTX);
            Command.Payment x = new Command.Payment(
                    "x", EntryType.TRANSFER, alice.id(), bob.id(), ledger.money("5.00", "EUR"), CTX);
            List<Command> first = new ArrayList<>();
            for (int i = 0; i < BATCH - 2; i++) {
                first.add(new Command.Mint("fill-" + i, bob.id(), ledger.money("0.01", "EUR"), CTX));
            }
            first.add(x);
            first.add(new Command.Reverse("undo-x", "x", CTX));
            long conflictsBefore = ledger.stats().conflicts();
            HoldNextLaunch hold = new HoldNextLaunch();
            LedgerInternals.sequencer(ledger).addExtension(hold);

            CompletableFuture<List<Outcome>> a = ledger.submitAll(first);
            CompletableFuture<List<Outcome>> b = ledger.submitAll(List.of(
                    x, new Command.Reverse("undo-x-again", "x", CTX), new Command.Reverse("undo-undo", "undo-x", CTX)));
            // The first batch is launched only once the second is queued, so however slow this machine is, the
            // second is decided while the first commits.
            hold.release();

            assertThat(a.join()).allMatch(Outcome::ok);
            List<Outcome> second = b.join();
            assertThat(second.get(0)).as("the same payment again is a replay").isInstanceOf(Outcome.Replayed.class);
            assertThat(code(second.get(1))).isEqualTo(RejectionCode.ALREADY_REVERSED);
            assertThat(code(second.get(2)))
                    .as("the reversal in the batch before is found")
                    .isEqualTo(RejectionCode.NOT_REVERSIBLE);
            assertThat(ledger.stats().conflicts())
                    .as("decided right the first time")
                    .isEqualTo(conflictsBefore);
            assertThat(ledger.stats().overlapped())
                    .as("the second batch overlapped the first")
                    .isPositive();
            Invariants.assertHold(ledger);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theFraudShieldCountsPaymentsOfTheBatchStillCommitting(StoreKind kind) {
        try (Ledger ledger = ledger(
                kind, Rules.defaults().withFraudPolicy(new FraudPolicy(3, Duration.ofMinutes(1), Long.MAX_VALUE)))) {
            Account carol = ledger.createAccount("carol", "carol@example.com", Role.USER);
            Account bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m", carol.id(), ledger.money("100.00", "EUR"), CTX);
            List<Command> first = new ArrayList<>();
            first.add(pay(ledger, "t1", carol, bob));
            first.add(pay(ledger, "t2", carol, bob));
            for (int i = 0; i < BATCH - 2; i++) {
                first.add(new Command.Mint("fill-" + i, bob.id(), ledger.money("0.01", "EUR"), CTX));
            }

            CompletableFuture<List<Outcome>> a = ledger.submitAll(first);
            CompletableFuture<List<Outcome>> b =
                    ledger.submitAll(List.of(pay(ledger, "t3", carol, bob), pay(ledger, "t4", carol, bob)));

            assertThat(a.join()).allMatch(Outcome::ok);
            List<Outcome> second = b.join();
            assertThat(second.get(0).ok())
                    .as("the third payment is within the limit")
                    .isTrue();
            assertThat(code(second.get(1))).as("the fourth is not").isEqualTo(RejectionCode.ACCOUNT_FROZEN);
            assertThat(ledger.reads().findAccount("carol").orElseThrow().frozenForFraud())
                    .isTrue();
            Invariants.assertHold(ledger);
        }
    }

    private static Command.Payment pay(Ledger ledger, String id, Account from, Account to) {
        return new Command.Payment(
                id, EntryType.TRANSFER, from.id(), to.id(), Money.ofMinor(ledger.currency("EUR"), 100), CTX);
    }

    private static RejectionCode code(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected) o).rejection().code();
    }

    /**
     * Holds the writer in the next batch's launch until released, so that a test can queue the batch after it
     * first: the writer then decides that one while the held one commits.
     */
    private static final class HoldNextLaunch implements BatchExtension {
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicBoolean armed = new AtomicBoolean(true);

        void release() {
            released.countDown();
        }

        @Override
        public WriteSet extend(WriteSet batch) {
            if (armed.getAndSet(false)) {
                try {
                    if (!released.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never queued its second batch");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return batch;
        }

        @Override
        public void committed(WriteSet batch) {}

        @Override
        public void invalidate() {}
    }
}

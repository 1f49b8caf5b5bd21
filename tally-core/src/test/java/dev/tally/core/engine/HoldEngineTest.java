package dev.tally.core.engine;

import static dev.tally.core.engine.World.CTX;
import static dev.tally.core.engine.World.NOW;
import static dev.tally.core.engine.World.eur;
import static dev.tally.core.engine.World.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.command.Command;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.fraud.Payment;
import dev.tally.core.fraud.RuleSettings;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.Metadata;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fraud shield's {@code hold} action in the engine: a held payment becomes a pending transfer. */
class HoldEngineTest {
    private static final Duration HOLD_EXPIRY = Duration.ofHours(5);

    private static FraudPolicy holdTheSecondPayment() {
        return FraudPolicy.disabled()
                .withVelocityCount(new RuleSettings.VelocityCount(true, 1, Duration.ofHours(1), FraudAction.HOLD))
                .withHoldExpiry(HOLD_EXPIRY);
    }

    private final World w = new World(Rules.defaults().withFraudPolicy(holdTheSecondPayment()));

    /** Alice pays bob 10.00 twice: the first is written, the second held. */
    private Outcome.Held holdOne() {
        assertThat(w.apply(transfer("t1", w.alice, w.bob, 1_000))).isInstanceOf(Outcome.Written.class);
        Outcome o = w.apply(transfer("t2", w.alice, w.bob, 1_000));
        assertThat(o).isInstanceOf(Outcome.Held.class);
        return (Outcome.Held) o;
    }

    private static RejectionCode code(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected) o).rejection().code();
    }

    @Test
    void holdRanksAboveFlagAndBelowTheRefusals() {
        assertThat(FraudAction.HOLD).isGreaterThan(FraudAction.FLAG).isLessThan(FraudAction.REJECT);
        assertThat(FraudAction.parse("hold")).isEqualTo(FraudAction.HOLD);
    }

    @Test
    void aHeldPaymentBecomesAPendingTransferMarkedWithItsRuleAndTheHoldExpiry() {
        LedgerEntry p = holdOne().pending();

        assertThat(p.type()).isEqualTo(EntryType.PENDING);
        assertThat(p.transactionId()).isEqualTo("t2");
        assertThat(p.taxWithheld()).isZero();
        assertThat(Engine.holdingRule(p)).contains("velocity_count");
        assertThat(Engine.expiresAt(p)).isEqualTo(NOW.plus(HOLD_EXPIRY));
        assertThat(w.balance(w.alice)).isEqualTo(8_000);
        assertThat(w.balance(Rules.ESCROW_ID)).isEqualTo(1_000);
    }

    @Test
    void aHoldOpensAnEventNamingThePendingTransfer() {
        w.apply(transfer("t1", w.alice, w.bob, 1_000));
        Overlay overlay = w.overlay();

        w.engine.apply(transfer("t2", w.alice, w.bob, 1_000), overlay, NOW);

        assertThat(overlay.fraudEvents).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(FraudAction.HOLD);
            assertThat(e.pendingTransactionId()).contains("t2");
            assertThat(e.status()).isEqualTo(FraudEvent.Status.OPEN);
        });
    }

    @Test
    void aRejectRuleOutranksAHoldRule() {
        World both = new World(Rules.defaults()
                .withFraudPolicy(holdTheSecondPayment()
                        .withSingleAmount(new RuleSettings.SingleAmount(true, 5_000, FraudAction.REJECT))));
        both.apply(transfer("t1", both.alice, both.bob, 1_000));

        Outcome o = both.apply(transfer("t2", both.alice, both.bob, 6_000));

        assertThat(code(o)).isEqualTo(RejectionCode.FRAUD_SUSPECTED);
        assertThat(both.balance(Rules.ESCROW_ID)).isZero();
    }

    @Test
    void aResendOfTheHeldTransactionReplaysTheHoldAndWritesNothing() {
        LedgerEntry held = holdOne().pending();
        Overlay overlay = w.overlay();

        Outcome again = w.engine.apply(transfer("t2", w.alice, w.bob, 1_000), overlay, NOW.plusSeconds(1));

        assertThat(again).isEqualTo(new Outcome.Held(held, "velocity_count", true));
        assertThat(overlay.isEmpty()).isTrue();
    }

    @Test
    void theHeldTransactionIdWithOtherContentIsADuplicate() {
        holdOne();

        assertThat(code(w.apply(transfer("t2", w.alice, w.bob, 999)))).isEqualTo(RejectionCode.DUPLICATE_TRANSACTION);
    }

    @Test
    void theSameLedgerAndInputGiveTheSameHoldAfterARebuild() {
        LedgerEntry t1 = World.entry(w.apply(transfer("t1", w.alice, w.bob, 1_000)));
        Engine rebuilt = new Engine(w.rules);
        rebuilt.rebuildFraudWindows(
                List.of(Payment.of(
                                t1,
                                w.engine.factsOf(w.store.accounts.get(w.alice)),
                                w.engine.factsOf(w.store.accounts.get(w.bob)))
                        .orElseThrow()),
                NOW);

        Outcome live = w.engine.apply(transfer("t2", w.alice, w.bob, 1_000), w.overlay(), NOW);
        Outcome afterRebuild = rebuilt.apply(transfer("t2", w.alice, w.bob, 1_000), w.overlay(), NOW);

        assertThat(live).isInstanceOf(Outcome.Held.class).isEqualTo(afterRebuild);
    }

    @Test
    void aClientCannotPostAHeldPaymentButTheLedgerCanWithItsTax() {
        holdOne();

        Outcome byClient = w.apply(new Command.PostPending("p1", "t2", Optional.empty(), CTX));
        Outcome byLedger = w.apply(new Command.PostPending("p2", "t2", Optional.empty(), CTX, true));

        assertThat(code(byClient)).isEqualTo(RejectionCode.FRAUD_SUSPECTED);
        LedgerEntry post = World.entry(byLedger);
        LedgerEntry t1 = w.store.entries.get("t1");
        assertThat(post.taxWithheld()).isEqualTo(t1.taxWithheld());
        assertThat(w.balance(w.bob)).isEqualTo(2 * t1.amountNet());
    }

    @Test
    void aClientCannotVoidAHeldPaymentButTheLedgerCan() {
        holdOne();

        assertThat(code(w.apply(new Command.VoidPending("v1", "t2", CTX)))).isEqualTo(RejectionCode.FRAUD_SUSPECTED);
        assertThat(w.apply(new Command.VoidPending("v2", "t2", CTX, true))).isInstanceOf(Outcome.Written.class);
        assertThat(w.balance(w.alice)).isEqualTo(9_000);
    }

    @Test
    void aPendingTransferTheClientCreatedIsHeldWithItsOwnTimeout() {
        w.apply(transfer("t1", w.alice, w.bob, 1_000));

        Outcome o = w.apply(new Command.CreatePending(
                "c1", EntryType.TRANSFER, w.alice, w.bob, eur(1_000), Duration.ofMinutes(10), CTX));

        assertThat(o).isInstanceOfSatisfying(Outcome.Held.class, h -> {
            assertThat(h.pending().metadata().values()).containsKey(Metadata.FRAUD_HOLD);
            assertThat(Engine.expiresAt(h.pending())).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        });
    }

    @Test
    void aHoldExpiryOutsideOneSecondTo30DaysIsRefused() {
        assertThatThrownBy(() -> FraudPolicy.disabled().withHoldExpiry(Duration.ofDays(31)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hold_expiry");
    }
}

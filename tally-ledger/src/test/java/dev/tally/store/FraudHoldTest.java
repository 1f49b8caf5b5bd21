package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Engine;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Rules;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.fraud.RuleSettings;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Money;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.FraudReview;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fraud shield's {@code hold} action on both stores: a held payment becomes a pending transfer (reserved,
 * not posted, no tax) that review posts or voids, that expires, and that a resend replays.
 */
class FraudHoldTest {
    private static final EntryContext CTX = EntryContext.actor("test");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration HOLD_EXPIRY = Duration.ofMinutes(30);

    private final PendingTransfersTest.SettableClock clock =
            new PendingTransfersTest.SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private Ledger ledger;
    private Account alice;
    private Account bob;

    /** A second payment by one account within the hour is held. */
    private static FraudPolicy holdTheSecondPayment() {
        return FraudPolicy.disabled()
                .withVelocityCount(new RuleSettings.VelocityCount(true, 1, HOUR, FraudAction.HOLD))
                .withHoldExpiry(HOLD_EXPIRY);
    }

    private void open(StoreKind kind, FraudPolicy policy) {
        ledger = Ledger.open(TestStores.config(kind)
                .withClock(clock)
                .withRules(Rules.defaults().withFraudPolicy(policy)));
        alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
        bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
        ledger.mint("seed", alice.id(), eur("100.00"), CTX);
    }

    /** Alice has paid bob once (t1, 10.00, not held) and her second payment (t2, 10.00) was held. */
    private Outcome.Held openWithAHeldPayment(StoreKind kind) {
        open(kind, holdTheSecondPayment());
        assertThat(purchase("t1", "10.00")).isInstanceOf(Outcome.Written.class);
        return (Outcome.Held) purchase("t2", "10.00");
    }

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    private Money eur(String amount) {
        return ledger.money(amount, "EUR");
    }

    private Outcome purchase(String id, String amount) {
        return ledger.submit(new Command.Payment(id, EntryType.PURCHASE, alice.id(), bob.id(), eur(amount), CTX))
                .join();
    }

    private long balance(Account a) {
        return Optional.ofNullable(ledger.reads().balances(a.id()).get("EUR"))
                .map(Money::minor)
                .orElse(0L);
    }

    private LedgerStore store() {
        return LedgerInternals.store(ledger);
    }

    private FraudEvent holdEvent() {
        return ledger.fraud().holding("t2").getFirst();
    }

    private FraudReview.Resolved resolve(FraudReview.Resolution resolution) {
        return ledger.fraud().resolution(holdEvent().id(), resolution, "admin");
    }

    private void assertValid() {
        assertThat(ledger.audit().verifyChainIntegrity().valid()).isTrue();
        assertThat(ledger.audit().reconcile().valid()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHeldPaymentReservesTheAmountAndReachesNobody(StoreKind kind) {
        Outcome.Held held = openWithAHeldPayment(kind);

        assertThat(held.pending().type()).isEqualTo(EntryType.PENDING);
        assertThat(held.pending().transactionId()).isEqualTo("t2");
        assertThat(held.pending().taxWithheld()).isZero();
        assertThat(held.rule()).isEqualTo("velocity_count");
        assertThat(held.replayed()).isFalse();
        long t1Net = ledger.reads().findEntry("t1").orElseThrow().amountNet();
        assertThat(balance(alice)).isEqualTo(8_000);
        assertThat(balance(bob)).isEqualTo(t1Net);
        assertThat(ledger.reads().pendingTotals(alice.id()).get("EUR")).containsExactly(1_000, 0);
        assertThat(ledger.reads().openPending(Optional.empty(), 10))
                .extracting(LedgerEntry::transactionId)
                .containsExactly("t2");
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHoldOpensAnEventNamingThePendingTransfer(StoreKind kind) {
        openWithAHeldPayment(kind);

        assertThat(ledger.fraud().list(Optional.empty(), 0, 10)).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(FraudAction.HOLD);
            assertThat(e.status()).isEqualTo(FraudEvent.Status.OPEN);
            assertThat(e.pendingTransactionId()).contains("t2");
            assertThat(e.account()).isEqualTo(alice.id());
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHoldExpiresAfterTheConfiguredHoldExpiry(StoreKind kind) {
        Outcome.Held held = openWithAHeldPayment(kind);

        assertThat(Engine.expiresAt(held.pending())).isEqualTo(clock.instant().plus(HOLD_EXPIRY));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void releasingAHoldPostsThePaymentWithItsTax(StoreKind kind) {
        openWithAHeldPayment(kind);
        LedgerEntry t1 = ledger.reads().findEntry("t1").orElseThrow();

        FraudReview.Resolved r = resolve(FraudReview.Resolution.RELEASE);

        assertThat(r.event().status()).isEqualTo(FraudEvent.Status.RELEASED);
        assertThat(r.effect()).hasValueSatisfying(e -> assertThat(e).contains("posted"));
        LedgerEntry post = ledger.reads().findEntry("hold-post-t2").orElseThrow();
        assertThat(post.type()).isEqualTo(EntryType.POST_PENDING);
        assertThat(post.taxWithheld()).isEqualTo(t1.taxWithheld()).isPositive();
        assertThat(balance(bob)).isEqualTo(2 * t1.amountNet());
        assertThat(balance(alice)).isEqualTo(8_000);
        assertThat(ledger.reads().openPending(Optional.empty(), 10)).isEmpty();
        assertThat(StoreSql.dump(store())).contains("RESOLVE_FRAUD_EVENT").contains("release: held payment t2 posted");
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void dismissingAHoldPostsThePaymentToo(StoreKind kind) {
        openWithAHeldPayment(kind);

        FraudReview.Resolved r = resolve(FraudReview.Resolution.DISMISS);

        assertThat(r.event().status()).isEqualTo(FraudEvent.Status.DISMISSED);
        assertThat(ledger.reads().findEntry("hold-post-t2"))
                .hasValueSatisfying(e -> assertThat(e.type()).isEqualTo(EntryType.POST_PENDING));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void confirmingAHoldVoidsItAndFreezesTheSender(StoreKind kind) {
        openWithAHeldPayment(kind);
        long bobBefore = balance(bob);

        FraudReview.Resolved r = resolve(FraudReview.Resolution.CONFIRM);

        assertThat(r.event().status()).isEqualTo(FraudEvent.Status.CONFIRMED);
        assertThat(r.effect()).hasValueSatisfying(e -> assertThat(e).contains("voided"));
        assertThat(ledger.reads().findEntry("hold-void-t2"))
                .hasValueSatisfying(e -> assertThat(e.type()).isEqualTo(EntryType.VOID_PENDING));
        assertThat(balance(alice)).isEqualTo(9_000);
        assertThat(balance(bob)).isEqualTo(bobBefore);
        assertThat(ledger.reads().findAccount(alice.id()).orElseThrow().frozenForFraud())
                .isTrue();
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUnresolvedHoldExpiresAndItsFundsGoBack(StoreKind kind) {
        openWithAHeldPayment(kind);
        clock.advance(HOLD_EXPIRY);

        assertThat(ledger.expirePending(10)).singleElement().satisfies(v -> {
            assertThat(v.type()).isEqualTo(EntryType.VOID_PENDING);
            assertThat(v.reverses()).contains("t2");
        });

        assertThat(balance(alice)).isEqualTo(9_000);
        assertThat(ledger.reads().openPending(Optional.empty(), 10)).isEmpty();
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void releasingAnExpiredHoldRecordsTheStatusAndSaysNothingWasPosted(StoreKind kind) {
        openWithAHeldPayment(kind);
        clock.advance(HOLD_EXPIRY);
        ledger.expirePending(10);

        FraudReview.Resolved r = resolve(FraudReview.Resolution.RELEASE);

        assertThat(r.event().status()).isEqualTo(FraudEvent.Status.RELEASED);
        assertThat(r.effect())
                .hasValueSatisfying(
                        e -> assertThat(e).contains("nothing was posted").contains("expired"));
        assertThat(ledger.reads().findEntry("hold-post-t2")).isEmpty();
        assertThat(balance(alice)).isEqualTo(9_000);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void releasingAHoldPastItsExpiryBeforeTheSweepPostsNothingAndReturnsTheFunds(StoreKind kind) {
        openWithAHeldPayment(kind);
        clock.advance(HOLD_EXPIRY);

        FraudReview.Resolved r = resolve(FraudReview.Resolution.DISMISS);

        assertThat(r.event().status()).isEqualTo(FraudEvent.Status.DISMISSED);
        assertThat(r.effect()).hasValueSatisfying(e -> assertThat(e).contains("nothing was posted"));
        assertThat(ledger.reads().findEntry("hold-post-t2")).isEmpty();
        assertThat(balance(alice)).isEqualTo(9_000);
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void confirmingAnExpiredHoldStillFreezesTheSender(StoreKind kind) {
        openWithAHeldPayment(kind);
        clock.advance(HOLD_EXPIRY);
        ledger.expirePending(10);

        FraudReview.Resolved r = resolve(FraudReview.Resolution.CONFIRM);

        assertThat(r.event().status()).isEqualTo(FraudEvent.Status.CONFIRMED);
        assertThat(ledger.reads().findAccount(alice.id()).orElseThrow().frozenForFraud())
                .isTrue();
        assertThat(balance(alice)).isEqualTo(9_000);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aResendOfAHeldPaymentReplaysTheHoldAndReservesNothingMore(StoreKind kind) {
        Outcome.Held first = openWithAHeldPayment(kind);
        String before = StoreSql.dump(store());

        Outcome again = purchase("t2", "10.00");

        assertThat(again).isInstanceOfSatisfying(Outcome.Held.class, h -> {
            assertThat(h.replayed()).isTrue();
            assertThat(h.pending()).isEqualTo(first.pending());
        });
        assertThat(StoreSql.dump(store())).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRejectRuleWinsOverAHoldRuleAndWritesNothingButItsEvent(StoreKind kind) {
        open(
                kind,
                holdTheSecondPayment()
                        .withSingleAmount(new RuleSettings.SingleAmount(true, 50_00, FraudAction.REJECT)));
        purchase("t1", "10.00");
        String before = ledgerTables();

        assertThat(purchase("t2", "60.00"))
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class,
                        r -> assertThat(r.rejection().code()).isEqualTo(RejectionCode.FRAUD_SUSPECTED));

        assertThat(ledgerTables()).isEqualTo(before);
        assertThat(ledger.fraud().list(Optional.empty(), 0, 10))
                .singleElement()
                .satisfies(e -> assertThat(e.action()).isEqualTo(FraudAction.REJECT));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aClientCannotPostAHeldPayment(StoreKind kind) {
        openWithAHeldPayment(kind);
        String before = StoreSql.dump(store());

        assertThatThrownBy(() -> ledger.postPending("post-t2", "t2", Optional.empty(), CTX))
                .isInstanceOfSatisfying(
                        RejectedException.class, e -> assertThat(e.code()).isEqualTo(RejectionCode.FRAUD_SUSPECTED));

        assertThat(StoreSql.dump(store())).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aClientCannotVoidAHeldPayment(StoreKind kind) {
        openWithAHeldPayment(kind);
        String before = StoreSql.dump(store());

        assertThatThrownBy(() -> ledger.voidPending("void-t2", "t2", CTX))
                .isInstanceOfSatisfying(
                        RejectedException.class, e -> assertThat(e.code()).isEqualTo(RejectionCode.FRAUD_SUSPECTED));

        assertThat(StoreSql.dump(store())).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHeldPaymentTheSenderCannotCoverIsRefusedAndOpensNoEvent(StoreKind kind) {
        open(kind, holdTheSecondPayment());
        purchase("t1", "10.00");
        String before = StoreSql.dump(store());

        assertThat(purchase("t2", "95.00"))
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class,
                        r -> assertThat(r.rejection().code()).isEqualTo(RejectionCode.INSUFFICIENT_FUNDS));

        assertThat(StoreSql.dump(store())).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theLibraryPayReturnsTheHeldPendingTransfer(StoreKind kind) {
        open(kind, holdTheSecondPayment());
        ledger.pay("t1", EntryType.TRANSFER, alice.id(), bob.id(), eur("1.00"), CTX);

        LedgerEntry e = ledger.pay("t2", EntryType.TRANSFER, alice.id(), bob.id(), eur("1.00"), CTX);

        assertThat(e.type()).isEqualTo(EntryType.PENDING);
        assertThat(Engine.holdingRule(e)).contains("velocity_count");
        assertThat(ledger.fraud().holding("t2")).extracting(FraudEvent::action).containsExactly(FraudAction.HOLD);
    }

    /** The dump without the fraud events: what "nothing but its event was written" compares. */
    private String ledgerTables() {
        return StoreSql.dump(store()).replaceAll("(?s)## fraud_events\n.*?(?=## |$)", "");
    }
}

package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.engine.Rules;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Money;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.export.ExportAudit;
import dev.tally.store.export.ExportRestorer;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pending (two-phase) payments: reserve, post (whole or in part), void, expire; on both stores. */
class PendingTransfersTest {
    private static final EntryContext CTX = EntryContext.actor("test");
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private Ledger ledger;
    private Account alice;
    private Account bob;

    private void open(StoreKind kind) {
        ledger = Ledger.open(TestStores.config(kind).withClock(clock));
        alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
        bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
        ledger.mint("seed", alice.id(), eur("100.00"), CTX);
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

    private long balance(Account a) {
        return Optional.ofNullable(ledger.reads().balances(a.id()).get("EUR"))
                .map(Money::minor)
                .orElse(0L);
    }

    private LedgerEntry hold(String id, String amount) {
        return ledger.createPending(
                id, EntryType.PURCHASE, alice.id(), bob.id(), eur(amount), Duration.ofMinutes(10), CTX);
    }

    private void assertValid() {
        assertThat(ledger.audit().verifyChainIntegrity().valid()).isTrue();
        assertThat(ledger.audit().reconcile().valid()).isTrue();
    }

    private void assertRejectedUnchanged(RejectionCode code, ThrowingCallable call) {
        String before = StoreSql.dump(LedgerInternals.store(ledger));
        assertThatThrownBy(call)
                .isInstanceOf(RejectedException.class)
                .satisfies(e -> assertThat(((RejectedException) e).code()).isEqualTo(code));
        assertThat(StoreSql.dump(LedgerInternals.store(ledger))).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPendingPaymentReservesTheAmountWithoutReachingTheReceiver(StoreKind kind) {
        open(kind);
        LedgerEntry p = hold("hold-1", "30.00");
        assertThat(p.type()).isEqualTo(EntryType.PENDING);
        assertThat(balance(alice)).isEqualTo(7_000);
        assertThat(balance(bob)).isZero();
        assertThat(ledger.reads().pendingTotals(alice.id()).get("EUR")).containsExactly(3_000, 0);
        assertThat(ledger.reads().pendingTotals(bob.id()).get("EUR")).containsExactly(0, 3_000);
        assertThat(ledger.reads().balances(Rules.ESCROW_ID).get("EUR").minor()).isEqualTo(3_000);
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void postingPartOfItTaxesWhatIsPostedAndReleasesTheRest(StoreKind kind) {
        open(kind);
        hold("hold-1", "30.00");
        LedgerEntry post = ledger.postPending("post-1", "hold-1", Optional.of(eur("20.00")), CTX);
        assertThat(post.type()).isEqualTo(EntryType.POST_PENDING);
        assertThat(post.reverses()).contains("hold-1");
        assertThat(post.taxWithheld()).isEqualTo(400); // 20% VAT on the 20.00 posted
        assertThat(balance(bob)).isEqualTo(1_600);
        assertThat(balance(alice)).isEqualTo(8_000);
        assertThat(ledger.reads().pendingTotals(alice.id())).isEmpty();
        assertThat(ledger.reads().balances(Rules.ESCROW_ID).get("EUR").minor()).isZero();
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aVoidReleasesEverything(StoreKind kind) {
        open(kind);
        hold("hold-1", "30.00");
        assertThat(ledger.voidPending("void-1", "hold-1", CTX).type()).isEqualTo(EntryType.VOID_PENDING);
        assertThat(balance(alice)).isEqualTo(10_000);
        assertThat(balance(bob)).isZero();
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void postingOrVoidingTwiceHasAStableCodeAndWritesNothing(StoreKind kind) {
        open(kind);
        hold("hold-1", "30.00");
        hold("hold-2", "30.00");
        ledger.postPending("post-1", "hold-1", Optional.empty(), CTX);
        ledger.voidPending("void-2", "hold-2", CTX);
        assertRejectedUnchanged(
                RejectionCode.PENDING_ALREADY_POSTED,
                () -> ledger.postPending("post-again", "hold-1", Optional.empty(), CTX));
        assertRejectedUnchanged(
                RejectionCode.PENDING_ALREADY_POSTED, () -> ledger.voidPending("void-again", "hold-1", CTX));
        assertRejectedUnchanged(
                RejectionCode.PENDING_ALREADY_VOIDED, () -> ledger.voidPending("void-again", "hold-2", CTX));
        assertRejectedUnchanged(RejectionCode.NOT_PENDING, () -> ledger.voidPending("void-seed", "seed", CTX));
        assertRejectedUnchanged(RejectionCode.NOT_REVERSIBLE, () -> ledger.reverse("undo", "post-1", CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reservingMoreThanTheAvailableBalanceIsRefused(StoreKind kind) {
        open(kind);
        hold("hold-1", "80.00");
        assertRejectedUnchanged(RejectionCode.INSUFFICIENT_FUNDS, () -> hold("hold-2", "30.00"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExpiredPendingPaymentCannotBePostedAndTheSweepVoidsIt(StoreKind kind) {
        open(kind);
        hold("hold-1", "30.00");
        clock.advance(Duration.ofMinutes(10));
        assertRejectedUnchanged(
                RejectionCode.PENDING_EXPIRED, () -> ledger.postPending("late", "hold-1", Optional.empty(), CTX));
        assertThat(ledger.expirePending(100)).singleElement().satisfies(v -> {
            assertThat(v.type()).isEqualTo(EntryType.VOID_PENDING);
            assertThat(v.actor()).contains("tally:expiry");
        });
        assertThat(ledger.expirePending(100)).isEmpty();
        assertThat(balance(alice)).isEqualTo(10_000);
        assertRejectedUnchanged(
                RejectionCode.PENDING_ALREADY_VOIDED,
                () -> ledger.postPending("late", "hold-1", Optional.empty(), CTX));
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPendingPaymentHeldOpenLongDoesNotKeepLaterOnesFromExpiring(StoreKind kind) {
        open(kind);
        ledger.createPending("long", EntryType.PURCHASE, alice.id(), bob.id(), eur("1.00"), Duration.ofDays(3), CTX);
        hold("short-1", "2.00");
        hold("short-2", "3.00");
        clock.advance(Duration.ofMinutes(10));

        java.util.List<String> voided = new java.util.ArrayList<>();
        for (int step = 0; step < 3; step++) {
            ledger.expirePending(1).forEach(v -> voided.add(v.reverses().orElseThrow()));
        }

        assertThat(voided).containsExactly("short-1", "short-2");
        assertThat(ledger.reads().openPending(Optional.empty(), 10))
                .extracting(LedgerEntry::transactionId)
                .containsExactly("long");
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aWholeSweepVoidsEveryExpiredPendingPaymentWhateverThePageSize(StoreKind kind) {
        open(kind);
        ledger.createPending("long", EntryType.PURCHASE, alice.id(), bob.id(), eur("1.00"), Duration.ofDays(3), CTX);
        hold("short-1", "2.00");
        ledger.createPending("long-2", EntryType.PURCHASE, alice.id(), bob.id(), eur("1.00"), Duration.ofDays(3), CTX);
        hold("short-2", "3.00");
        clock.advance(Duration.ofMinutes(10));

        assertThat(ledger.expireAllPending(1))
                .extracting(v -> v.reverses().orElseThrow())
                .containsExactly("short-1", "short-2");
        assertThat(ledger.expireAllPending(1)).isEmpty();
        assertThat(balance(alice)).isEqualTo(10_000 - 200);
        assertValid();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void pendingEntriesExportAuditAndRestore(StoreKind kind) throws Exception {
        open(kind);
        hold("hold-1", "30.00");
        hold("hold-2", "5.00");
        ledger.postPending("post-1", "hold-1", Optional.of(eur("10.00")), CTX);
        Path file = Files.createTempDirectory("tally-export-").resolve("ledger.jsonl");
        ledger.audit().export(file, new AtomicLong());
        ExportAudit.Result audit =
                new ExportAudit(2, 100, Clock.systemUTC()).audit(file, Optional.empty(), true, new AtomicLong());
        assertThat(audit.valid()).isTrue();
        String target = TestStores.freshLocation(kind);
        try (LedgerStore store = Stores.open(target)) {
            ExportRestorer.restore(store, audit);
        }
        try (Ledger restored = Ledger.open(LedgerConfig.defaults().withLocation(target))) {
            assertThat(restored.reads().openPending(Optional.empty(), 10))
                    .extracting(LedgerEntry::transactionId)
                    .containsExactly("hold-2");
            assertThat(restored.audit().reconcile().valid()).isTrue();
        }
    }

    /** A clock the test moves. */
    static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Currency;
import dev.tally.core.money.InvalidAmountException;
import dev.tally.core.money.Money;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every refusal is typed and leaves the database byte-for-byte as it was. */
class RejectionsTest {
    private static final EntryContext CTX = EntryContext.actor("test");
    private Ledger ledger;
    private Account alice;
    private Account bob;

    private void open(StoreKind kind) {
        ledger = TestStores.freshLedger(kind);
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

    private void assertRejectedUnchanged(RejectionCode code, ThrowingCallable call) {
        String before = dump();
        assertThatThrownBy(call)
                .isInstanceOf(RejectedException.class)
                .satisfies(e -> assertThat(((RejectedException) e).code()).isEqualTo(code));
        assertThat(dump()).isEqualTo(before);
    }

    private void assertInvalidUnchanged(Class<? extends Throwable> type, ThrowingCallable call) {
        String before = dump();
        assertThatThrownBy(call).isInstanceOf(type);
        assertThat(dump()).isEqualTo(before);
    }

    private String dump() {
        return StoreSql.dump(LedgerInternals.store(ledger));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void insufficientFundsIsRefused(StoreKind kind) {
        open(kind);
        assertRejectedUnchanged(
                RejectionCode.INSUFFICIENT_FUNDS,
                () -> ledger.transfer("t1", alice.id(), bob.id(), eur("100.01"), CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFrozenAccountCannotSend(StoreKind kind) {
        open(kind);
        ledger.freezeAccount(alice.id(), "chargeback pattern");
        assertRejectedUnchanged(
                RejectionCode.ACCOUNT_FROZEN, () -> ledger.transfer("t1", alice.id(), bob.id(), eur("1.00"), CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFrozenAccountCanStillReceive(StoreKind kind) {
        open(kind);
        ledger.freezeAccount(bob.id(), "under review");
        ledger.transfer("t1", alice.id(), bob.id(), eur("1.00"), CTX);
        assertThat(ledger.reads().balances(bob.id()).get("EUR").toDecimalString())
                .isEqualTo("0.99");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFrozenLedgerMovesNoMoney(StoreKind kind) {
        open(kind);
        ledger.setLedgerFrozen(true, Optional.of("audit failed"), "test");
        assertRejectedUnchanged(
                RejectionCode.LEDGER_FROZEN, () -> ledger.transfer("t1", alice.id(), bob.id(), eur("1.00"), CTX));
        assertRejectedUnchanged(RejectionCode.LEDGER_FROZEN, () -> ledger.mint("m2", alice.id(), eur("1.00"), CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void senderAndReceiverMustDiffer(StoreKind kind) {
        open(kind);
        assertRejectedUnchanged(
                RejectionCode.SAME_ACCOUNT, () -> ledger.transfer("t1", alice.id(), alice.id(), eur("1.00"), CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownAccountsAreRefused(StoreKind kind) {
        open(kind);
        assertRejectedUnchanged(
                RejectionCode.UNKNOWN_ACCOUNT,
                () -> ledger.transfer("t1", alice.id(), UUID.randomUUID(), eur("1.00"), CTX));
        assertRejectedUnchanged(
                RejectionCode.UNKNOWN_ACCOUNT,
                () -> ledger.transfer("t2", UUID.randomUUID(), bob.id(), eur("1.00"), CTX));
        assertRejectedUnchanged(
                RejectionCode.UNKNOWN_ACCOUNT, () -> ledger.mint("m2", UUID.randomUUID(), eur("1.00"), CTX));
        assertRejectedUnchanged(
                RejectionCode.UNKNOWN_ACCOUNT, () -> ledger.reads().resolve("nobody"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownCurrenciesAreRefused(StoreKind kind) {
        open(kind);
        Money gold = Money.ofMinor(new Currency("GOLD", 0), 5);
        assertRejectedUnchanged(RejectionCode.UNKNOWN_CURRENCY, () -> ledger.mint("m2", alice.id(), gold, CTX));
        assertRejectedUnchanged(RejectionCode.UNKNOWN_CURRENCY, () -> ledger.money("1.00", "USD"));
        Money fakeEur = Money.ofMinor(new Currency("EUR", 3), 5);
        assertRejectedUnchanged(
                RejectionCode.UNKNOWN_CURRENCY, () -> ledger.transfer("t1", alice.id(), bob.id(), fakeEur, CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReusedTransactionIdWithOtherContentIsRefused(StoreKind kind) {
        open(kind);
        ledger.transfer("t1", alice.id(), bob.id(), eur("1.00"), CTX);
        assertRejectedUnchanged(
                RejectionCode.DUPLICATE_TRANSACTION,
                () -> ledger.transfer("t1", alice.id(), bob.id(), eur("2.00"), CTX));
        assertRejectedUnchanged(
                RejectionCode.DUPLICATE_TRANSACTION,
                () -> ledger.pay("t1", EntryType.PURCHASE, alice.id(), bob.id(), eur("1.00"), CTX));
        assertRejectedUnchanged(
                RejectionCode.DUPLICATE_TRANSACTION, () -> ledger.mint("t1", alice.id(), eur("1.00"), CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void malformedAmountsNeverReachTheLedger(StoreKind kind) {
        open(kind);
        for (String bad : new String[] {"1.001", "-5", "0", "abc", "1e5", "", "99999999999999999999"}) {
            assertInvalidUnchanged(InvalidAmountException.class, () -> ledger.money(bad, "EUR"));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void oversizedStringsAreRefusedBeforeTheLedger(StoreKind kind) {
        open(kind);
        String longText = "x".repeat(600);
        assertInvalidUnchanged(
                IllegalArgumentException.class, () -> ledger.createAccount("u".repeat(65), "a@b.example", Role.USER));
        assertInvalidUnchanged(
                IllegalArgumentException.class,
                () -> ledger.createAccount("carol", longText + "@b.example", Role.USER));
        assertInvalidUnchanged(
                IllegalArgumentException.class,
                () -> ledger.transfer("t".repeat(129), alice.id(), bob.id(), eur("1.00"), CTX));
        assertInvalidUnchanged(
                IllegalArgumentException.class,
                () -> ledger.transfer(
                        "t1",
                        alice.id(),
                        bob.id(),
                        eur("1.00"),
                        new EntryContext(Optional.empty(), Optional.empty(), Optional.of(longText))));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void duplicateUsernamesAndEmailsAreRefused(StoreKind kind) {
        open(kind);
        assertRejectedUnchanged(
                RejectionCode.DUPLICATE_USERNAME, () -> ledger.createAccount("alice", "other@example.com", Role.USER));
        assertRejectedUnchanged(
                RejectionCode.DUPLICATE_EMAIL, () -> ledger.createAccount("carol", "ALICE@example.com", Role.USER));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReversalCannotBeReversedOrRepeated(StoreKind kind) {
        open(kind);
        ledger.transfer("t1", alice.id(), bob.id(), eur("1.00"), CTX);
        ledger.reverse("r1", "t1", CTX);
        assertRejectedUnchanged(RejectionCode.ALREADY_REVERSED, () -> ledger.reverse("r2", "t1", CTX));
        assertRejectedUnchanged(RejectionCode.NOT_REVERSIBLE, () -> ledger.reverse("r3", "r1", CTX));
        assertRejectedUnchanged(RejectionCode.UNKNOWN_TRANSACTION, () -> ledger.reverse("r4", "nope", CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReversalNeedsTheFundsToMoveBack(StoreKind kind) {
        open(kind);
        ledger.transfer("t1", alice.id(), bob.id(), eur("10.00"), CTX);
        ledger.burn("b1", bob.id(), eur("9.90"), CTX);
        assertRejectedUnchanged(RejectionCode.INSUFFICIENT_FUNDS, () -> ledger.reverse("r1", "t1", CTX));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theTreasuryCannotBeFrozen(StoreKind kind) {
        open(kind);
        assertRejectedUnchanged(
                RejectionCode.VALIDATION_FAILED,
                () -> ledger.freezeAccount(ledger.reads().resolve("treasury"), "no"));
    }
}

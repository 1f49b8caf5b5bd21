package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Rules;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.store.HistoryQuery;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.Invariants;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MoneyFlowsTest {
    private static final EntryContext CTX = EntryContext.actor("test");

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anIdempotentReplayReturnsTheOriginalAndWritesNothing(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account b = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m1", a.id(), ledger.money("10.00", "EUR"), CTX);
            LedgerEntry first = ledger.transfer("t1", a.id(), b.id(), ledger.money("1.00", "EUR"), CTX);
            String before = StoreSql.dump(LedgerInternals.store(ledger));

            Outcome replay = ledger.submit(new Command.Payment(
                            "t1",
                            EntryType.TRANSFER,
                            a.id(),
                            b.id(),
                            ledger.money("1.00", "EUR"),
                            EntryContext.actor("someone else")))
                    .join();

            assertThat(replay).isEqualTo(new Outcome.Replayed(first));
            assertThat(StoreSql.dump(LedgerInternals.store(ledger))).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void purchaseAndIncomeCarryVatAndIncomeTax(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account shop = ledger.createAccount("shop", "shop@example.com", Role.USER);
            ledger.mint("m1", a.id(), ledger.money("100.00", "EUR"), CTX);
            LedgerEntry purchase =
                    ledger.pay("p1", EntryType.PURCHASE, a.id(), shop.id(), ledger.money("10.00", "EUR"), CTX);
            LedgerEntry income =
                    ledger.pay("i1", EntryType.INCOME, shop.id(), a.id(), ledger.money("5.00", "EUR"), CTX);

            assertThat(purchase.taxWithheld()).isEqualTo(200);
            assertThat(purchase.taxKind()).isEqualTo(TaxKind.VAT);
            assertThat(income.taxWithheld()).isEqualTo(50);
            assertThat(income.taxKind()).isEqualTo(TaxKind.INCOME_TAX);
            assertThat(ledger.reads().treasuryTotals())
                    .containsEntry(new TreasuryKey("EUR", TaxKind.VAT), 200L)
                    .containsEntry(new TreasuryKey("EUR", TaxKind.INCOME_TAX), 50L);
            Invariants.assertHold(ledger);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void systemAccountsPayNoTax(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account game = ledger.createAccount("game", "game@example.com", Role.SYSTEM);
            Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
            ledger.mint("m1", game.id(), ledger.money("100.00", "EUR"), CTX);
            LedgerEntry reward = ledger.transfer("t1", game.id(), a.id(), ledger.money("10.00", "EUR"), CTX);
            assertThat(reward.taxWithheld()).isZero();
            assertThat(reward.amountNet()).isEqualTo(1000);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReversalMovesEverythingBackIncludingTheTax(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account b = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m1", a.id(), ledger.money("100.00", "EUR"), CTX);
            ledger.pay("p1", EntryType.PURCHASE, a.id(), b.id(), ledger.money("10.00", "EUR"), CTX);

            LedgerEntry reversal = ledger.reverse("r1", "p1", CTX);

            assertThat(reversal.type()).isEqualTo(EntryType.REVERSAL);
            assertThat(reversal.reverses()).contains("p1");
            assertThat(ledger.reads().balances(a.id()).get("EUR").toDecimalString())
                    .isEqualTo("100.00");
            assertThat(ledger.reads().balances(b.id()).get("EUR").minor()).isZero();
            assertThat(ledger.reads().balances(Rules.TREASURY_ID).get("EUR").minor())
                    .isZero();
            assertThat(ledger.reads().treasuryTotals()).containsEntry(new TreasuryKey("EUR", TaxKind.VAT), 0L);
            Invariants.assertHold(ledger);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aLinkedBatchFailsAsAWhole(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account b = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m1", a.id(), ledger.money("10.00", "EUR"), CTX);
            String before = StoreSql.dump(LedgerInternals.store(ledger));

            List<Outcome> outcomes = ledger.submitLinked(List.of(
                            new Command.Payment(
                                    "l1", EntryType.TRANSFER, a.id(), b.id(), ledger.money("6.00", "EUR"), CTX),
                            new Command.Payment(
                                    "l2", EntryType.TRANSFER, a.id(), b.id(), ledger.money("6.00", "EUR"), CTX)))
                    .join();

            assertThat(outcomes.get(0))
                    .isInstanceOfSatisfying(
                            Outcome.Rejected.class,
                            r -> assertThat(r.rejection().code()).isEqualTo(RejectionCode.LINKED_EVENT_FAILED));
            assertThat(outcomes.get(1))
                    .isInstanceOfSatisfying(
                            Outcome.Rejected.class,
                            r -> assertThat(r.rejection().code()).isEqualTo(RejectionCode.INSUFFICIENT_FUNDS));
            assertThat(StoreSql.dump(LedgerInternals.store(ledger))).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aLinkedBatchThatFitsCommitsEverything(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account b = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m1", a.id(), ledger.money("10.00", "EUR"), CTX);
            List<Outcome> outcomes = ledger.submitLinked(List.of(
                            new Command.Payment(
                                    "l1", EntryType.TRANSFER, a.id(), b.id(), ledger.money("6.00", "EUR"), CTX),
                            new Command.Payment(
                                    "l2", EntryType.TRANSFER, b.id(), a.id(), ledger.money("5.00", "EUR"), CTX)))
                    .join();
            assertThat(outcomes).allMatch(Outcome::ok);
            assertThat(Invariants.assertHold(ledger)).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void historyPagesNewestFirstWithACursor(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account a = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account b = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m1", a.id(), ledger.money("100.00", "EUR"), CTX);
            for (int i = 0; i < 5; i++) {
                ledger.transfer("a" + i, a.id(), b.id(), ledger.money("1.00", "EUR"), CTX);
                ledger.transfer("b" + i, b.id(), a.id(), ledger.money("0.50", "EUR"), CTX);
            }
            List<String> seen = new ArrayList<>();
            Optional<HistoryQuery.Cursor> cursor = Optional.empty();
            do {
                List<LedgerEntry> page =
                        ledger.reads().history(new HistoryQuery(a.id(), HistoryQuery.Direction.ALL, cursor, 4));
                page.forEach(e -> seen.add(e.transactionId()));
                cursor = page.size() < 4
                        ? Optional.empty()
                        : Optional.of(HistoryQuery.Cursor.after(page.get(page.size() - 1)));
            } while (cursor.isPresent());

            assertThat(seen).containsExactly("b4", "a4", "b3", "a3", "b2", "a2", "b1", "a1", "b0", "a0", "m1");
            assertThat(ledger.reads()
                            .history(new HistoryQuery(a.id(), HistoryQuery.Direction.SENT, Optional.empty(), 100)))
                    .extracting(LedgerEntry::transactionId)
                    .containsExactly("a4", "a3", "a2", "a1", "a0");
            assertThat(ledger.reads()
                            .history(new HistoryQuery(a.id(), HistoryQuery.Direction.RECEIVED, Optional.empty(), 2)))
                    .extracting(LedgerEntry::transactionId)
                    .containsExactly("b4", "b3");
        }
    }
}

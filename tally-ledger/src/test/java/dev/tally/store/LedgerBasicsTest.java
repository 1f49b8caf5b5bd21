package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.engine.Rules;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.SupplyReport;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LedgerBasicsTest {
    private static final EntryContext CTX = EntryContext.actor("test");

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aNewLedgerHasOnlyTheTreasury(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account treasury = ledger.reads().findAccount("treasury").orElseThrow();
            assertThat(treasury.id()).isEqualTo(Rules.TREASURY_ID);
            assertThat(treasury.role()).isEqualTo(Role.SYSTEM);
            assertThat(LedgerInternals.store(ledger).loadHead().seq()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTransferMovesNetToReceiverAndTaxToTreasury(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m1", alice.id(), ledger.money("100.00", "EUR"), CTX);

            LedgerEntry e = ledger.transfer("t1", alice.id(), bob.id(), ledger.money("10.00", "EUR"), CTX);

            assertThat(e.amountGross()).isEqualTo(1000);
            assertThat(e.taxWithheld()).isEqualTo(10);
            assertThat(e.amountNet()).isEqualTo(990);
            assertThat(ledger.reads().balances(alice.id()).get("EUR").toDecimalString())
                    .isEqualTo("90.00");
            assertThat(ledger.reads().balances(bob.id()).get("EUR").toDecimalString())
                    .isEqualTo("9.90");
            assertThat(ledger.reads().balances(Rules.TREASURY_ID).get("EUR").toDecimalString())
                    .isEqualTo("0.10");
            assertThat(ledger.reads().treasuryTotals())
                    .containsEntry(new TreasuryKey("EUR", TaxKind.TRANSFER_TAX), 10L);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void entriesAreChainedFromTheGenesisHash(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            LedgerEntry first = ledger.mint("m1", alice.id(), ledger.money("1.00", "EUR"), CTX);
            LedgerEntry second = ledger.mint("m2", alice.id(), ledger.money("2.00", "EUR"), CTX);

            assertThat(first.seq()).isEqualTo(1);
            assertThat(first.previousHash()).isEqualTo(Hash.ZERO);
            assertThat(second.previousHash()).isEqualTo(first.currentHash());
            assertThat(ledger.reads().findEntry("m2").orElseThrow()).isEqualTo(second);
            assertThat(ledger.reads().findEntry("m2").orElseThrow().hashMatches())
                    .isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void supplyEqualsMintedMinusBurned(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account bob = ledger.createAccount("bob", "bob@example.com", Role.USER);
            ledger.mint("m1", alice.id(), ledger.money("100.00", "EUR"), CTX);
            ledger.pay("p1", EntryType.PURCHASE, alice.id(), bob.id(), ledger.money("50.00", "EUR"), CTX);
            ledger.burn("b1", bob.id(), ledger.money("5.00", "EUR"), CTX);

            SupplyReport eur = ledger.reads().supply().get(0);
            assertThat(eur.mintedText()).isEqualTo("100.00");
            assertThat(eur.burnedText()).isEqualTo("5.00");
            assertThat(eur.circulatingText()).isEqualTo("95.00");
            assertThat(eur.conserved()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStaleVersionCannotUpdateAnAccount(StoreKind kind) {
        try (Ledger ledger = TestStores.freshLedger(kind)) {
            Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
            Account first = ledger.updateEmail(alice.id(), "alice@new.example.com", alice.version());

            assertThat(first.version()).isEqualTo(alice.version() + 1);
            assertThatThrownBy(() -> ledger.updateEmail(alice.id(), "alice@other.example.com", alice.version()))
                    .isInstanceOf(RejectedException.class)
                    .extracting(e -> ((RejectedException) e).code())
                    .isEqualTo(RejectionCode.VERSION_CONFLICT);
            assertThat(ledger.reads().findAccount("alice").orElseThrow().email())
                    .isEqualTo("alice@new.example.com");
        }
    }
}

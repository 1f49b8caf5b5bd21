package dev.tally.store.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.core.audit.Finding;
import dev.tally.core.audit.FindingType;
import dev.tally.core.audit.ReconciliationReport;
import dev.tally.core.engine.Rules;
import dev.tally.store.testing.StoreKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reconciliation sees what the chain cannot: stored state edited below the library. Each test edits a
 * table directly and checks the finding, its account or currency, and the stored and expected amounts.
 */
class ReconciliationTest {
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUntouchedLedgerReconciles(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            ReconciliationReport r = f.ledger.audit().reconcile();

            assertThat(r.valid()).isTrue();
            assertThat(r.findings()).isEmpty();
            assertThat(r.entriesReplayed()).isEqualTo(20);
            assertThat(r.balancesChecked()).isEqualTo(3);
            assertThat(r.toMap()).containsEntry("valid", true).containsEntry("total_transactions", 20L);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEditedBalanceIsABalanceMismatchAndBreaksTheSupply(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            long bob = f.ledger.reads().balances(f.bob.id()).get("EUR").minor();
            f.sql("UPDATE balances SET amount = amount + 100000 WHERE account_id = ?", f.bob.id());

            ReconciliationReport r = f.ledger.audit().reconcile();

            assertThat(r.valid()).isFalse();
            assertThat(r.findings())
                    .extracting(Finding::type)
                    .containsExactly(FindingType.BALANCE_MISMATCH, FindingType.SUPPLY_MISMATCH);
            assertThat(r.findings().get(0).details())
                    .containsEntry("account", f.bob.id().toString())
                    .containsEntry("currency", "EUR")
                    .containsEntry("stored", dev.tally.core.money.Money.format(bob + 100_000, 2))
                    .containsEntry("expected", dev.tally.core.money.Money.format(bob, 2))
                    .containsEntry("difference", "1000.00");
            assertThat(r.findings().get(1).details())
                    .containsEntry("currency", "EUR")
                    .containsEntry("difference", "1000.00");
            assertThat(r.toMap()).containsEntry("error_type", "BALANCE_MISMATCH");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDeletedBalanceRowIsABalanceMismatch(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            f.sql("DELETE FROM balances WHERE account_id = ?", Rules.TREASURY_ID);

            ReconciliationReport r = f.ledger.audit().reconcile();

            Finding first = r.findings().get(0);
            assertThat(first.type()).isEqualTo(FindingType.BALANCE_MISMATCH);
            assertThat(first.details())
                    .containsEntry("account", Rules.TREASURY_ID.toString())
                    .containsEntry("stored", "0.00")
                    .containsEntry("stored_row", "missing");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEditedTreasuryTotalIsATreasuryMismatch(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            f.sql(
                    "UPDATE treasury_totals SET amount = amount - 5 WHERE currency = 'EUR' AND tax_kind = 'TRANSFER_TAX'");

            ReconciliationReport r = f.ledger.audit().reconcile();

            assertThat(r.findings())
                    .extracting(x -> tuple(
                            x.type(),
                            x.details().get("currency"),
                            x.details().get("tax_kind"),
                            x.details().get("difference")))
                    .containsExactly(tuple(FindingType.TREASURY_MISMATCH, "EUR", "TRANSFER_TAX", "-0.05"));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEditedSupplyIsASupplyMismatch(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            f.sql("UPDATE currency_supply SET minted = minted + 700 WHERE currency = 'EUR'");

            ReconciliationReport r = f.ledger.audit().reconcile();

            assertThat(r.findings())
                    .extracting(Finding::type)
                    .containsExactly(FindingType.SUPPLY_MISMATCH, FindingType.SUPPLY_MISMATCH);
            assertThat(r.findings().get(0).details())
                    .containsEntry("stored_minted", "100007.00")
                    .containsEntry("expected_minted", "100000.00");
            assertThat(r.findings().get(1).details())
                    .containsEntry("circulating", "100000.00")
                    .containsEntry("minted_minus_burned", "100007.00");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTamperedEntryMakesTheStoredBalancesDisagreeWithTheReplay(StoreKind kind) {
        try (AuditFixture f = AuditFixture.of(kind, 20)) {
            f.sql(
                    "UPDATE ledger_entries SET amount_gross = amount_gross + 100, amount_net = amount_net + 100 WHERE seq = 4");

            ReconciliationReport r = f.ledger.audit().reconcile();

            assertThat(r.findings()).extracting(Finding::type).contains(FindingType.BALANCE_MISMATCH);
            assertThat(r.findings())
                    .extracting(x -> x.details().get("account"))
                    .contains(f.alice.id().toString(), f.bob.id().toString());
            assertThat(r.toMap()).containsEntry("valid", false);
        }
    }
}

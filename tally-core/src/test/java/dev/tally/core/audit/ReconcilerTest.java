package dev.tally.core.audit;

import static dev.tally.core.audit.TestChains.ALICE;
import static dev.tally.core.audit.TestChains.BOB;
import static dev.tally.core.audit.TestChains.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.engine.Rules;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currencies;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation replays the entries and compares the stored balances, treasury totals and supply with the
 * sums. The chain here: 100.00 EUR minted to alice, then 10.00 from alice to bob with 0.10 transfer tax.
 */
class ReconcilerTest {
    private static final TreasuryKey TRANSFER_TAX = new TreasuryKey("EUR", TaxKind.TRANSFER_TAX);
    private static final Map<TreasuryKey, Long> TOTALS = Map.of(TRANSFER_TAX, 10L);
    private static final Map<String, Supply> SUPPLY = Map.of("EUR", new Supply(10_000, 0, 1));
    private final List<LedgerEntry> chain = TestChains.chain(2);

    private Reconciler replayed() {
        Reconciler r = new Reconciler(Rules.TREASURY_ID, Currencies.defaults());
        chain.forEach(r::replay);
        return r;
    }

    private static void storeTheTruth(Reconciler r) {
        r.storedBalance(ALICE, "EUR", 9_000);
        r.storedBalance(BOB, "EUR", 990);
        r.storedBalance(Rules.TREASURY_ID, "EUR", 10);
    }

    private static ReconciliationReport finish(
            Reconciler r, Map<TreasuryKey, Long> totals, Map<String, Supply> supply) {
        return r.finish(totals, supply, 10, T0, Duration.ofMillis(3));
    }

    @Test
    void storedStateThatIsTheReplayOfTheEntriesPasses() {
        Reconciler r = replayed();
        storeTheTruth(r);

        ReconciliationReport report = finish(r, TOTALS, SUPPLY);

        assertThat(report.valid()).isTrue();
        assertThat(report.entriesReplayed()).isEqualTo(2);
        assertThat(report.toSeq()).isEqualTo(2);
        assertThat(report.balancesChecked()).isEqualTo(3);
        assertThat(report.treasuryTotalsChecked()).isEqualTo(1);
        assertThat(report.message()).startsWith("✅ Reconciliation passed: 3 balances");
        assertThat(report.toMap())
                .containsEntry("valid", true)
                .containsEntry("findings_truncated", 0L)
                .doesNotContainKey("error_type");
    }

    @Test
    void aStoredBalanceThatDiffersFromTheReplayIsAMismatchAndBreaksConservation() {
        Reconciler r = replayed();
        r.storedBalance(ALICE, "EUR", 9_000);
        r.storedBalance(BOB, "EUR", 1_990);
        r.storedBalance(Rules.TREASURY_ID, "EUR", 10);

        ReconciliationReport report = finish(r, TOTALS, SUPPLY);

        assertThat(report.valid()).isFalse();
        assertThat(report.findings())
                .extracting(Finding::type)
                .containsExactly(FindingType.BALANCE_MISMATCH, FindingType.SUPPLY_MISMATCH);
        assertThat(report.findings().get(0).details())
                .containsEntry("stored", "19.90")
                .containsEntry("expected", "9.90")
                .containsEntry("difference", "10.00");
    }

    @Test
    void aBalanceTheEntriesExpectAndTheStoreLacksIsReportedAsAMissingRow() {
        Reconciler r = replayed();
        r.storedBalance(ALICE, "EUR", 9_000);
        r.storedBalance(Rules.TREASURY_ID, "EUR", 10);

        ReconciliationReport report = finish(r, TOTALS, SUPPLY);

        assertThat(report.findings().get(0).type()).isEqualTo(FindingType.BALANCE_MISMATCH);
        assertThat(report.findings().get(0).details())
                .containsEntry("stored_row", "missing")
                .containsEntry("account", BOB.toString());
    }

    @Test
    void aTreasuryTotalThatDiffersFromTheTaxCollectedIsAMismatch() {
        Reconciler r = replayed();
        storeTheTruth(r);

        ReconciliationReport report = finish(r, Map.of(TRANSFER_TAX, 11L), SUPPLY);

        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.TREASURY_MISMATCH);
            assertThat(f.details()).containsEntry("tax_kind", "TRANSFER_TAX").containsEntry("difference", "0.01");
        });
    }

    @Test
    void aStoredSupplyThatDiffersFromWhatWasMintedIsAMismatch() {
        Reconciler r = replayed();
        storeTheTruth(r);

        ReconciliationReport report = finish(r, TOTALS, Map.of("EUR", new Supply(20_000, 10_000, 1)));

        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FindingType.SUPPLY_MISMATCH);
            assertThat(f.details()).containsEntry("stored_minted", "200.00").containsEntry("expected_minted", "100.00");
        });
    }

    @Test
    void reconcilersOfConsecutiveRangesMergeIntoTheWholeReplay() {
        Reconciler first = new Reconciler(Rules.TREASURY_ID, Currencies.defaults());
        Reconciler second = new Reconciler(Rules.TREASURY_ID, Currencies.defaults());
        first.replay(chain.get(0));
        second.replay(chain.get(1));

        first.merge(second);
        storeTheTruth(first);

        ReconciliationReport report = finish(first, TOTALS, SUPPLY);
        assertThat(report.valid()).isTrue();
        assertThat(report.entriesReplayed()).isEqualTo(2);
        assertThat(report.toSeq()).isEqualTo(2);
    }

    @Test
    void aRowThatCannotBeReadIsAFindingAndCountsAsReplayed() {
        Reconciler r = replayed();
        r.unreadable(new StoredRow.Malformed(3, Optional.of("tx-3"), "unknown entry type BOGUS"));
        storeTheTruth(r);

        ReconciliationReport report = finish(r, TOTALS, SUPPLY);

        assertThat(report.valid()).isFalse();
        assertThat(report.entriesReplayed()).isEqualTo(3);
        assertThat(report.toSeq()).isEqualTo(3);
        assertThat(report.findings().get(0).seq()).hasValue(3);
    }

    @Test
    void findingsAreCappedButAllAreCounted() {
        Reconciler r = replayed();
        r.storedBalance(ALICE, "EUR", 1);
        r.storedBalance(BOB, "EUR", 1);
        r.storedBalance(Rules.TREASURY_ID, "EUR", 10);

        ReconciliationReport report = r.finish(TOTALS, SUPPLY, 1, T0, Duration.ZERO);

        assertThat(report.findings()).hasSize(1);
        assertThat(report.findingsTotal()).isEqualTo(3);
        assertThat(report.message()).endsWith("(and 2 more findings)");
        assertThat(report.toMap())
                .containsEntry("findings_truncated", 2L)
                .containsEntry("error_type", "BALANCE_MISMATCH")
                .containsKey("security_recommendation");
    }

    @Test
    void findingsOfBalancesAreOrderedByAccount() {
        Reconciler r = replayed();
        r.storedBalance(ALICE, "EUR", 1);
        r.storedBalance(BOB, "EUR", 1);
        r.storedBalance(Rules.TREASURY_ID, "EUR", 10);

        ReconciliationReport report = finish(r, TOTALS, SUPPLY);

        assertThat(report.findings().subList(0, 2))
                .extracting(f -> (String) f.details().get("account"))
                .as("by account id, whatever order the rows came in")
                .containsExactly(BOB.toString(), ALICE.toString());
    }
}

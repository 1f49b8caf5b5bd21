package dev.tally.core.audit;

import static dev.tally.core.audit.TestChains.ALICE;
import static dev.tally.core.audit.TestChains.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.AccountLimit;
import dev.tally.core.account.AccountLimits;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currencies;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reconciliation and the entry rules understand credit limits and exchange legs. */
class CreditLimitReconcileTest {
    private static java.util.List<FindingType> findings(Map<java.util.UUID, AccountLimits> limits, long stored) {
        Reconciler r = new Reconciler(Rules.TREASURY_ID, Currencies.defaults());
        r.accountLimits(limits);
        r.storedBalance(ALICE, "EUR", stored);
        return r.finish(Map.of(), Map.of(), 10, T0, Duration.ZERO).findings().stream()
                .map(Finding::type)
                .toList();
    }

    @Test
    void aNegativeBalanceWithoutACreditLimitIsReported() {
        assertThat(findings(Map.of(), -5)).contains(FindingType.BALANCE_BELOW_CREDIT_LIMIT);
    }

    @Test
    void aNegativeBalanceWithinItsCreditLimitIsNotReportedAsSuch() {
        AccountLimits limits = AccountLimits.NONE.with("EUR", new AccountLimit(10, Optional.empty()));
        assertThat(findings(Map.of(ALICE, limits), -5)).doesNotContain(FindingType.BALANCE_BELOW_CREDIT_LIMIT);
        assertThat(findings(Map.of(ALICE, limits), -11)).contains(FindingType.BALANCE_BELOW_CREDIT_LIMIT);
    }

    @Test
    void anExchangeLegHasTwoPartiesAndTaxOnlyAsAnExchangeFee() {
        assertThat(EntryRules.check(
                        EntryType.EXCHANGE, true, true, false, 100, 1, 99, TaxKind.EXCHANGE_FEE, false, true))
                .isEqualTo(EntryRules.Problem.NONE);
        assertThat(EntryRules.check(EntryType.EXCHANGE, true, true, false, 100, 0, 100, TaxKind.NONE, false, true))
                .isEqualTo(EntryRules.Problem.NONE);
        assertThat(EntryRules.check(EntryType.EXCHANGE, true, true, false, 100, 1, 99, TaxKind.VAT, false, true))
                .isEqualTo(EntryRules.Problem.EXCHANGE_SHAPE);
        assertThat(EntryRules.check(EntryType.EXCHANGE, true, false, false, 100, 0, 100, TaxKind.NONE, false, true))
                .isEqualTo(EntryRules.Problem.EXCHANGE_SHAPE);
    }
}

package dev.tally.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.fraud.FraudPolicy;
import org.junit.jupiter.api.Test;

/**
 * The quick evaluation of {@code tally bench fraud}: on the seeded synthetic economy, the recommended
 * rules catch at least 90% of the accounts of every labelled scenario, flag at most 0.5% of the normal
 * players and refuse at most 0.1% of their payments. Detection only (no store, no timing).
 */
class FraudEconomyTest {
    private static FraudEconomy.Result quickRun() {
        return new FraudEconomy(FraudBench.SEED, new FraudEconomy.Size(1_500, 1, 10)).run(FraudPolicy.recommended());
    }

    @Test
    void everyScenarioMeetsTheRecallTarget() {
        FraudEconomy.Result r = quickRun();
        for (String s : FraudEconomy.SCENARIOS) {
            int total = r.fraudAccounts().getOrDefault(s, 0);
            assertThat(total).as(s + " has fraud accounts").isPositive();
            assertThat((double) r.fraudCaught().getOrDefault(s, 0) / total)
                    .as("recall of " + s)
                    .isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void falsePositivesStayWithinTheTargets() {
        FraudEconomy.Result r = quickRun();
        assertThat((double) r.normalFlagged().size() / r.normalPlayers()).isLessThanOrEqualTo(0.005);
        assertThat((double) r.normalRefused() / r.normalPayments()).isLessThanOrEqualTo(0.001);
    }

    @Test
    void theEconomyIsReproducible() {
        FraudEconomy.Result a = quickRun();
        FraudEconomy.Result b = quickRun();
        assertThat(a.payments()).isEqualTo(b.payments());
        assertThat(a.findingsByRule()).isEqualTo(b.findingsByRule());
        assertThat(a.normalFlagged()).hasSameSizeAs(b.normalFlagged());
    }
}

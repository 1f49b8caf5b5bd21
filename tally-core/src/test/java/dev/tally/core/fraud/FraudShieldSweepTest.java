package dev.tally.core.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * When the shield sweeps is a matter of memory only: the same payments get the same findings whether the
 * windows were swept after every payment or never (which is what lets the shield sweep rarely).
 */
class FraudShieldSweepTest {
    private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");

    /** Every rule on with low thresholds, flagging or refusing, so that each one fires on the traffic. */
    private static FraudPolicy everyRule() {
        FraudAction flag = FraudAction.FLAG;
        return FraudPolicy.recommended()
                .withVelocityCount(new RuleSettings.VelocityCount(true, 8, Duration.ofMinutes(1), FraudAction.FREEZE))
                .withSingleAmount(new RuleSettings.SingleAmount(true, 500_000, FraudAction.REJECT))
                .withVelocityVolume(
                        new RuleSettings.VelocityVolume(true, Map.of("EUR", 200_000L), Duration.ofHours(1), flag))
                .withAmountAnomaly(new RuleSettings.AmountAnomaly(true, 5, 5, 20, Duration.ofDays(1), 500, flag))
                .withNewAccount(new RuleSettings.NewAccount(
                        true, Duration.ofDays(1), 10, Duration.ofHours(1), 50_000, FraudAction.REJECT))
                .withPassThrough(new RuleSettings.PassThrough(true, 2_000, 80, Duration.ofHours(2), flag))
                .withFanIn(new RuleSettings.FanIn(
                        true, 4, Duration.ofHours(2), Duration.ofDays(2), 3, Duration.ofDays(1), flag))
                .withCircularFlow(new RuleSettings.CircularFlow(true, 4, Duration.ofHours(2), 200, flag))
                .withSharedOrigin(new RuleSettings.SharedOrigin(true, 4, Duration.ofHours(1), false, flag));
    }

    /** Random traffic with pauses longer than the windows, a busy group, young and system accounts. */
    private static List<Payment> traffic(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        int accounts = 400;
        UUID[] ids = new UUID[accounts];
        Payment.AccountFacts[] facts = new Payment.AccountFacts[accounts];
        for (int i = 0; i < accounts; i++) {
            ids[i] = new UUID(random.nextLong(), random.nextLong());
            Instant opened =
                    random.nextInt(5) == 0 ? T0.plusSeconds(random.nextInt(86_400)) : T0.minus(Duration.ofDays(30));
            facts[i] = new Payment.AccountFacts(opened, random.nextInt(40) == 0);
        }
        List<Payment> payments = new ArrayList<>(count);
        Instant at = T0;
        for (int k = 0; k < count; k++) {
            int pause = random.nextInt(500);
            at = at.plusMillis(pause == 0 ? random.nextInt(3 * 3600) * 1000L : random.nextInt(20_000));
            boolean busy = random.nextInt(3) == 0;
            int from = busy ? random.nextInt(30) : random.nextInt(accounts);
            int to = busy ? random.nextInt(30) : random.nextInt(accounts);
            if (from == to) {
                continue;
            }
            long amount = random.nextInt(10) == 0 ? 1 + random.nextLong(1_000_000) : 1 + random.nextInt(5_000);
            payments.add(new Payment(
                    "tx" + k,
                    ids[from],
                    ids[to],
                    random.nextInt(8) == 0 ? "GOLD" : "EUR",
                    amount,
                    at,
                    Optional.of("10.0.0." + random.nextInt(60)),
                    Optional.empty(),
                    facts[from],
                    facts[to]));
        }
        return payments;
    }

    /** Each payment's findings, recording it as the engine does when no rule refused it. */
    private static List<List<Finding>> decide(List<Payment> payments, boolean sweepEveryPayment) {
        FraudShield shield = new FraudShield(everyRule());
        List<List<Finding>> decisions = new ArrayList<>();
        for (Payment p : payments) {
            List<Finding> findings = shield.assess(p);
            decisions.add(findings);
            if (findings.isEmpty() || findings.get(0).action() == FraudAction.FLAG) {
                shield.flagged(findings, p.at());
                shield.record(p);
            }
            if (sweepEveryPayment) {
                shield.sweep(p.at());
            }
        }
        return decisions;
    }

    @Test
    void theSamePaymentsGetTheSameFindingsWhetherSweptAfterEveryPaymentOrNever() {
        List<Payment> payments = traffic(7, 10_000);

        List<List<Finding>> swept = decide(payments, true);

        assertThat(swept.stream().filter(f -> !f.isEmpty()).count()).isGreaterThan(1_000);
        assertThat(decide(payments, false)).isEqualTo(swept);
    }
}

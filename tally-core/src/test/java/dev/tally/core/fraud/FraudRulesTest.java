package dev.tally.core.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.fraud.RuleSettings.AmountAnomaly;
import dev.tally.core.fraud.RuleSettings.CircularFlow;
import dev.tally.core.fraud.RuleSettings.FanIn;
import dev.tally.core.fraud.RuleSettings.NewAccount;
import dev.tally.core.fraud.RuleSettings.PassThrough;
import dev.tally.core.fraud.RuleSettings.SharedOrigin;
import dev.tally.core.fraud.RuleSettings.VelocityCount;
import dev.tally.core.fraud.RuleSettings.VelocityVolume;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Each rule of the shield: it fires at its threshold, stays quiet just under it, and decides the same
 * after its windows were rebuilt from the payments recorded so far (what a restart does).
 */
class FraudRulesTest {
    static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");
    static final Payment.AccountFacts OLD = new Payment.AccountFacts(Instant.parse("2025-01-01T00:00:00Z"), false);
    static final Payment.AccountFacts SHOP = new Payment.AccountFacts(Instant.parse("2025-01-01T00:00:00Z"), true);

    /** A shield under one policy that remembers what it recorded, to rebuild a copy of itself. */
    static final class Harness {
        final FraudPolicy policy;
        FraudShield shield;
        final List<Payment> recorded = new ArrayList<>();
        int seq;

        Harness(FraudPolicy policy) {
            this.policy = policy;
            this.shield = new FraudShield(policy);
        }

        Payment payment(UUID from, UUID to, long amount, Instant at, Payment.AccountFacts fromFacts) {
            return new Payment(
                    "tx" + ++seq, from, to, "GOLD", amount, at, Optional.empty(), Optional.empty(), fromFacts, OLD);
        }

        /** Assesses, and records the payment when no rule refused it; returns the findings. */
        List<Finding> pay(Payment p) {
            List<Finding> f = shield.assess(p);
            if (f.isEmpty() || f.get(0).action() == FraudAction.FLAG) {
                shield.flagged(f, p.at());
                shield.record(p);
                recorded.add(p);
            }
            return f;
        }

        List<Finding> pay(UUID from, UUID to, long amount, Instant at) {
            return pay(payment(from, to, amount, at, OLD));
        }

        /** Replaces the shield by one rebuilt from the payments recorded so far. */
        void restart(Instant now) {
            FraudShield fresh = new FraudShield(policy);
            recorded.forEach(fresh::record);
            fresh.sweep(now);
            shield = fresh;
        }
    }

    static UUID id() {
        return UUID.randomUUID();
    }

    static List<String> rules(List<Finding> findings) {
        return findings.stream().map(Finding::rule).toList();
    }

    @Nested
    class VelocityByCount {
        final Harness h = new Harness(FraudPolicy.disabled()
                .withVelocityCount(new VelocityCount(true, 3, Duration.ofMinutes(1), FraudAction.REJECT)));
        final UUID a = id();
        final UUID b = id();

        @Test
        void firesOnThePaymentPastTheLimit() {
            for (int i = 0; i < 3; i++) {
                assertThat(h.pay(a, b, 10, T0.plusSeconds(i))).isEmpty();
            }
            assertThat(rules(h.pay(a, b, 10, T0.plusSeconds(3)))).containsExactly("velocity_count");
        }

        @Test
        void staysQuietOncePaymentsLeaveTheWindow() {
            for (int i = 0; i < 3; i++) {
                h.pay(a, b, 10, T0.plusSeconds(i));
            }
            assertThat(h.pay(a, b, 10, T0.plusSeconds(61))).isEmpty();
        }

        @Test
        void aRestartMidWindowKeepsTheCount() {
            for (int i = 0; i < 3; i++) {
                h.pay(a, b, 10, T0.plusSeconds(i));
            }
            h.restart(T0.plusSeconds(10));
            assertThat(rules(h.pay(a, b, 10, T0.plusSeconds(11)))).containsExactly("velocity_count");
        }
    }

    @Nested
    class VelocityByVolume {
        final Harness h = new Harness(FraudPolicy.disabled()
                .withVelocityVolume(
                        new VelocityVolume(true, Map.of("GOLD", 1_000L), Duration.ofHours(1), FraudAction.FLAG)));
        final UUID a = id();
        final UUID b = id();

        @Test
        void firesWhenTheVolumeExceedsTheLimit() {
            assertThat(h.pay(a, b, 600, T0)).isEmpty();
            assertThat(rules(h.pay(a, b, 401, T0.plusSeconds(60)))).containsExactly("velocity_volume");
        }

        @Test
        void staysQuietAtTheLimit() {
            assertThat(h.pay(a, b, 600, T0)).isEmpty();
            assertThat(h.pay(a, b, 400, T0.plusSeconds(60))).isEmpty();
        }

        @Test
        void countsOnlyCurrenciesWithALimit() {
            Payment eur = new Payment("e1", a, b, "EUR", 5_000, T0, Optional.empty(), Optional.empty(), OLD, OLD);
            assertThat(h.pay(eur)).isEmpty();
        }

        @Test
        void aRestartMidWindowKeepsTheVolume() {
            h.pay(a, b, 600, T0);
            h.restart(T0.plusSeconds(30));
            assertThat(rules(h.pay(a, b, 401, T0.plusSeconds(60)))).containsExactly("velocity_volume");
        }
    }

    @Nested
    class AmountAnomalyRuleSpec {
        final Harness h = new Harness(FraudPolicy.disabled()
                .withAmountAnomaly(new AmountAnomaly(true, 10, 5, 20, Duration.ofDays(7), 100, FraudAction.FLAG)));
        final UUID a = id();
        final UUID b = id();

        void history() {
            for (int i = 0; i < 5; i++) {
                h.pay(a, b, 50, T0.plusSeconds(i * 600L));
            }
        }

        @Test
        void firesAboveKTimesTheP95() {
            history();
            assertThat(rules(h.pay(a, b, 501, T0.plusSeconds(4000)))).containsExactly("amount_anomaly");
        }

        @Test
        void staysQuietAtKTimesTheP95() {
            history();
            assertThat(h.pay(a, b, 500, T0.plusSeconds(4000))).isEmpty();
        }

        @Test
        void staysQuietWithoutTheMinimumHistory() {
            for (int i = 0; i < 4; i++) {
                h.pay(a, b, 50, T0.plusSeconds(i * 600L));
            }
            assertThat(h.pay(a, b, 10_000, T0.plusSeconds(4000))).isEmpty();
        }

        @Test
        void aRestartKeepsTheHistory() {
            history();
            h.restart(T0.plusSeconds(3999));
            assertThat(rules(h.pay(a, b, 501, T0.plusSeconds(4000)))).containsExactly("amount_anomaly");
        }
    }

    @Nested
    class NewAccountLimits {
        final Harness h = new Harness(FraudPolicy.disabled()
                .withNewAccount(
                        new NewAccount(true, Duration.ofDays(1), 2, Duration.ofHours(1), 1_000, FraudAction.REJECT)));
        final UUID a = id();
        final UUID b = id();
        final Payment.AccountFacts young = new Payment.AccountFacts(T0.minusSeconds(3600), false);

        @Test
        void aYoungAccountIsLimitedInCount() {
            h.pay(h.payment(a, b, 10, T0, young));
            h.pay(h.payment(a, b, 10, T0.plusSeconds(1), young));
            assertThat(rules(h.pay(h.payment(a, b, 10, T0.plusSeconds(2), young))))
                    .containsExactly("new_account");
        }

        @Test
        void aYoungAccountIsLimitedInAmount() {
            assertThat(h.pay(h.payment(a, b, 1_000, T0, young))).isEmpty();
            assertThat(rules(h.pay(h.payment(a, b, 1_001, T0, young)))).containsExactly("new_account");
        }

        @Test
        void anOldAccountIsNot() {
            for (int i = 0; i < 5; i++) {
                assertThat(h.pay(a, b, 5_000, T0.plusSeconds(i))).isEmpty();
            }
        }

        @Test
        void aRestartMidWindowKeepsTheCount() {
            h.pay(h.payment(a, b, 10, T0, young));
            h.pay(h.payment(a, b, 10, T0.plusSeconds(1), young));
            h.restart(T0.plusSeconds(2));
            assertThat(rules(h.pay(h.payment(a, b, 10, T0.plusSeconds(3), young))))
                    .containsExactly("new_account");
        }
    }

    @Nested
    class PassThroughMule {
        final Harness h = new Harness(FraudPolicy.disabled()
                .withPassThrough(new PassThrough(true, 1_000, 80, Duration.ofHours(1), FraudAction.FLAG)));
        final UUID farm1 = id();
        final UUID farm2 = id();
        final UUID mule = id();
        final UUID buyer = id();

        void fill() {
            h.pay(farm1, mule, 600, T0);
            h.pay(farm2, mule, 400, T0.plusSeconds(10));
        }

        @Test
        void firesWhenMostOfWhatCameInGoesOut() {
            fill();
            List<Finding> f = h.pay(mule, buyer, 800, T0.plusSeconds(60));
            assertThat(rules(f)).containsExactly("pass_through");
            assertThat(f.get(0).account()).isEqualTo(mule);
            assertThat(f.get(0).transactionIds()).hasSize(3);
        }

        @Test
        void staysQuietJustUnderThePercentage() {
            fill();
            assertThat(h.pay(mule, buyer, 799, T0.plusSeconds(60))).isEmpty();
        }

        @Test
        void aSendWhileNothingCameInWithinTheWindowNeverCountsWhetherASweepRanOrNot() {
            for (boolean sweptBefore : new boolean[] {false, true}) {
                Harness fresh = new Harness(h.policy);
                fresh.pay(farm1, mule, 1_000, T0);
                Instant expired = T0.plus(Duration.ofHours(2));
                if (sweptBefore) {
                    fresh.shield.sweep(expired);
                }
                fresh.pay(mule, buyer, 100, expired);
                fresh.pay(farm2, mule, 1_000, expired.plusSeconds(1));

                // 750 of 1,000 is under 80%; with the earlier 100 it would be 850
                assertThat(fresh.pay(mule, buyer, 750, expired.plusSeconds(2))).isEmpty();
            }
        }

        @Test
        void staysQuietUnderTheMinimumReceived() {
            h.pay(farm1, mule, 999, T0);
            assertThat(h.pay(mule, buyer, 999, T0.plusSeconds(60))).isEmpty();
        }

        @Test
        void ignoresCommerceWithSystemAccounts() {
            Payment income =
                    new Payment("i1", id(), mule, "GOLD", 5_000, T0, Optional.empty(), Optional.empty(), SHOP, OLD);
            h.pay(income);
            assertThat(h.pay(mule, buyer, 5_000, T0.plusSeconds(60))).isEmpty();
        }

        @Test
        void aRestartMidWindowKeepsWhatCameIn() {
            fill();
            h.restart(T0.plusSeconds(30));
            assertThat(rules(h.pay(mule, buyer, 800, T0.plusSeconds(60)))).containsExactly("pass_through");
        }
    }

    @Nested
    class FanInFunnel {
        final Harness h = new Harness(FraudPolicy.disabled()
                .withFanIn(new FanIn(
                        true, 3, Duration.ofHours(1), Duration.ofDays(1), 3, Duration.ofDays(1), FraudAction.FLAG)));
        final UUID mule = id();
        final Payment.AccountFacts fresh = new Payment.AccountFacts(T0.minusSeconds(600), false);

        @Test
        void firesOnTheNthNewSender() {
            h.pay(h.payment(id(), mule, 100, T0, fresh));
            h.pay(h.payment(id(), mule, 100, T0.plusSeconds(1), fresh));
            List<Finding> f = h.pay(h.payment(id(), mule, 100, T0.plusSeconds(2), fresh));
            assertThat(rules(f)).containsExactly("fan_in");
            assertThat(f.get(0).account())
                    .as("the finding is about the receiver")
                    .isEqualTo(mule);
        }

        @Test
        void staysQuietJustUnderTheNumberOfSenders() {
            UUID one = id();
            h.pay(h.payment(one, mule, 100, T0, fresh));
            h.pay(h.payment(id(), mule, 100, T0.plusSeconds(1), fresh));
            assertThat(h.pay(h.payment(one, mule, 100, T0.plusSeconds(2), fresh)))
                    .as("the same sender again is not a new one")
                    .isEmpty();
        }

        @Test
        void activeEstablishedSendersDoNotCount() {
            List<UUID> regulars = List.of(id(), id(), id());
            int s = 0;
            for (UUID r : regulars) {
                for (int i = 0; i < 3; i++) {
                    h.pay(r, id(), 10, T0.minusSeconds(7200 - s++));
                }
            }
            for (UUID r : regulars) {
                assertThat(h.pay(r, mule, 100, T0.plusSeconds(s++))).isEmpty();
            }
        }

        @Test
        void aRestartMidWindowKeepsTheSenders() {
            h.pay(h.payment(id(), mule, 100, T0, fresh));
            h.pay(h.payment(id(), mule, 100, T0.plusSeconds(1), fresh));
            h.restart(T0.plusSeconds(2));
            assertThat(rules(h.pay(h.payment(id(), mule, 100, T0.plusSeconds(3), fresh))))
                    .containsExactly("fan_in");
        }
    }

    @Nested
    class CircularFlowRuleSpec {
        final Harness h = new Harness(FraudPolicy.disabled()
                .withCircularFlow(new CircularFlow(true, 3, Duration.ofHours(1), 100, FraudAction.FLAG)));
        final UUID a = id();
        final UUID b = id();
        final UUID c = id();
        final UUID d = id();

        @Test
        void firesWhenMoneyReturnsWithinKHops() {
            h.pay(a, b, 500, T0);
            h.pay(b, c, 500, T0.plusSeconds(10));
            List<Finding> f = h.pay(c, a, 500, T0.plusSeconds(20));
            assertThat(rules(f)).containsExactly("circular_flow");
            assertThat(f.get(0).transactionIds()).containsExactly("tx1", "tx2", "tx3");
        }

        @Test
        void staysQuietOneHopBeyondK() {
            h.pay(a, b, 500, T0);
            h.pay(b, c, 500, T0.plusSeconds(10));
            h.pay(c, d, 500, T0.plusSeconds(20));
            assertThat(h.pay(d, a, 500, T0.plusSeconds(30))).isEmpty();
        }

        @Test
        void staysQuietForSmallAmounts() {
            h.pay(a, b, 99, T0);
            h.pay(b, c, 500, T0.plusSeconds(10));
            assertThat(h.pay(c, a, 500, T0.plusSeconds(20))).isEmpty();
        }

        @Test
        void findsAChainThroughAnAccountAnotherBranchReachedOnItsLastHop() {
            Harness four = new Harness(FraudPolicy.disabled()
                    .withCircularFlow(new CircularFlow(true, 4, Duration.ofHours(1), 100, FraudAction.FLAG)));
            UUID e = id();
            UUID f = id();
            four.pay(b, c, 500, T0);
            four.pay(c, e, 500, T0.plusSeconds(10));
            four.pay(e, d, 500, T0.plusSeconds(20)); // d is the last hop of the branch through c
            four.pay(b, d, 500, T0.plusSeconds(30));
            four.pay(d, f, 500, T0.plusSeconds(40));
            four.pay(f, a, 500, T0.plusSeconds(50));
            List<Finding> found = four.pay(a, b, 500, T0.plusSeconds(60));
            assertThat(rules(found)).containsExactly("circular_flow");
            assertThat(found.get(0).transactionIds()).containsExactly("tx4", "tx5", "tx6", "tx7");
        }

        @Test
        void findsAChainThroughAnAccountFirstReachedTooLate() {
            Harness five = new Harness(FraudPolicy.disabled()
                    .withCircularFlow(new CircularFlow(true, 5, Duration.ofHours(1), 100, FraudAction.FLAG)));
            UUID x = id();
            UUID y = id();
            UUID w = id();
            five.pay(b, y, 500, T0.plusSeconds(10));
            five.pay(b, c, 500, T0.plusSeconds(15));
            five.pay(c, x, 500, T0.plusSeconds(20));
            five.pay(x, w, 500, T0.plusSeconds(30));
            five.pay(w, a, 500, T0.plusSeconds(40));
            five.pay(y, x, 500, T0.plusSeconds(50)); // x reached through y only after it paid w
            List<Finding> found = five.pay(a, b, 500, T0.plusSeconds(60));
            assertThat(rules(found)).containsExactly("circular_flow");
            assertThat(found.get(0).transactionIds()).containsExactly("tx2", "tx3", "tx4", "tx5", "tx7");
        }

        @Test
        void staysQuietWhenTheChainBackRunsBackwardsInTime() {
            h.pay(c, a, 500, T0);
            h.pay(b, c, 500, T0.plusSeconds(10)); // c paid a before b paid c
            assertThat(h.pay(a, b, 500, T0.plusSeconds(20))).isEmpty();
        }

        @Test
        void aRestartMidWindowKeepsThePath() {
            h.pay(a, b, 500, T0);
            h.pay(b, c, 500, T0.plusSeconds(10));
            h.restart(T0.plusSeconds(15));
            assertThat(rules(h.pay(c, a, 500, T0.plusSeconds(20)))).containsExactly("circular_flow");
        }
    }

    @Nested
    class SharedOriginRuleSpec {
        final Harness h = new Harness(FraudPolicy.disabled()
                .withSharedOrigin(new SharedOrigin(true, 3, Duration.ofHours(1), false, FraudAction.FLAG)));
        final UUID shop = id();

        Payment from(UUID account, String ip, Instant at) {
            return new Payment(
                    "p" + ++h.seq, account, shop, "GOLD", 10, at, Optional.of(ip), Optional.of("ua"), OLD, OLD);
        }

        @Test
        void firesOnTheNthAccountFromOneAddress() {
            h.pay(from(id(), "198.51.100.7", T0));
            h.pay(from(id(), "198.51.100.7", T0.plusSeconds(1)));
            assertThat(rules(h.pay(from(id(), "198.51.100.7", T0.plusSeconds(2)))))
                    .containsExactly("shared_origin");
        }

        @Test
        void staysQuietJustUnder() {
            UUID one = id();
            h.pay(from(one, "198.51.100.7", T0));
            h.pay(from(id(), "198.51.100.7", T0.plusSeconds(1)));
            h.pay(from(id(), "198.51.100.8", T0.plusSeconds(1)));
            assertThat(h.pay(from(one, "198.51.100.7", T0.plusSeconds(2)))).isEmpty();
        }

        @Test
        void aRestartMidWindowKeepsTheAccounts() {
            h.pay(from(id(), "198.51.100.7", T0));
            h.pay(from(id(), "198.51.100.7", T0.plusSeconds(1)));
            h.restart(T0.plusSeconds(2));
            assertThat(rules(h.pay(from(id(), "198.51.100.7", T0.plusSeconds(3)))))
                    .containsExactly("shared_origin");
        }
    }

    @Test
    void theStrongestActionComesFirst() {
        Harness h = new Harness(FraudPolicy.disabled()
                .withVelocityCount(new VelocityCount(true, 1, Duration.ofMinutes(1), FraudAction.FREEZE))
                .withVelocityVolume(
                        new VelocityVolume(true, Map.of("GOLD", 10L), Duration.ofMinutes(1), FraudAction.FLAG)));
        UUID a = id();
        h.pay(a, id(), 5, T0);
        assertThat(h.pay(a, id(), 50, T0.plusSeconds(1)))
                .extracting(Finding::action)
                .containsExactly(FraudAction.FREEZE, FraudAction.FLAG);
    }

    @Test
    void aRepeatedFlagWithinTheWindowOpensNoSecondEvent() {
        Harness h = new Harness(FraudPolicy.disabled()
                .withVelocityVolume(
                        new VelocityVolume(true, Map.of("GOLD", 10L), Duration.ofMinutes(1), FraudAction.FLAG)));
        UUID a = id();
        assertThat(h.pay(a, id(), 50, T0)).hasSize(1);
        assertThat(h.pay(a, id(), 50, T0.plusSeconds(1))).isEmpty();
        assertThat(h.pay(a, id(), 50, T0.plusSeconds(120))).hasSize(1);
    }

    @Test
    void aFlagRememberedFromItsEventIsNotOpenedAgainWithinTheWindow() {
        Harness h = new Harness(FraudPolicy.disabled()
                .withVelocityCount(new VelocityCount(true, 1, Duration.ofHours(1), FraudAction.FLAG)));
        UUID a = id();
        h.pay(a, id(), 10, T0);
        Finding first = h.pay(a, id(), 10, T0.plusSeconds(1)).get(0);
        h.restart(T0.plusSeconds(2));
        h.shield.rememberFlags(List.of(FraudEvent.open(first, T0.plusSeconds(1))));

        assertThat(h.pay(a, id(), 10, T0.plusSeconds(3))).isEmpty();
    }

    @Test
    void aRememberedFlagOlderThanItsWindowIsForgotten() {
        Harness h = new Harness(FraudPolicy.disabled()
                .withVelocityCount(new VelocityCount(true, 1, Duration.ofHours(1), FraudAction.FLAG)));
        UUID a = id();
        h.pay(a, id(), 10, T0);
        Finding first = h.pay(a, id(), 10, T0.plusSeconds(1)).get(0);
        h.shield.rememberFlags(List.of(FraudEvent.open(first, T0.plusSeconds(1))));
        h.shield.sweep(T0.plusSeconds(2 * 3600));
        h.pay(a, id(), 10, T0.plusSeconds(2 * 3600));

        assertThat(rules(h.pay(a, id(), 10, T0.plusSeconds(2 * 3600 + 1)))).containsExactly("velocity_count");
    }

    @Test
    void memoryHoldsOnlyTheOpenWindows() {
        Harness h = new Harness(FraudPolicy.recommended()
                .withVelocityVolume(
                        new VelocityVolume(true, Map.of("GOLD", 1_000_000L), Duration.ofHours(1), FraudAction.FLAG)));
        for (int i = 0; i < 20_000; i++) {
            h.shield.record(h.payment(id(), id(), 10, T0.plusSeconds(i * 60L), OLD));
        }
        // 20,000 distinct senders over two weeks; the longest window (seven days of amount history) holds
        // about 10,080 of them, and the others were swept.
        assertThat(h.shield.size()).isLessThan(20_000 * 3);
        h.shield.sweep(T0.plusSeconds(20_000 * 60L + Duration.ofDays(8).toSeconds()));
        assertThat(h.shield.size()).isZero();
    }
}

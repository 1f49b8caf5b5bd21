package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.engine.Rules;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.fraud.RuleSettings;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.FraudReview;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.testing.Invariants;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fraud rules on real stores: each one still fires after the ledger was closed and reopened in the
 * middle of its window (the windows are read back from the ledger), the actions do what they say, and a
 * writer that is not this process's sequencer is counted too.
 */
class FraudRulesLedgerTest {
    private static final EntryContext CTX = EntryContext.actor("test");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final FraudAction R = FraudAction.REJECT;

    /** Players p0..p4 with money, and a system shop. */
    record Players(List<Account> p, Account shop) {}

    /** A rule set to reject, what happens before the restart, and the payment after it that it refuses. */
    record Scenario(String rule, FraudPolicy policy, Step before, Step trigger) {
        @Override
        public String toString() {
            return rule;
        }
    }

    @FunctionalInterface
    interface Step {
        void run(Ledger ledger, Players x);
    }

    private static void pay(Ledger l, String tx, Account from, Account to, String amount) {
        pay(l, tx, from, to, amount, CTX);
    }

    private static void pay(Ledger l, String tx, Account from, Account to, String amount, EntryContext ctx) {
        l.transfer(tx, from.id(), to.id(), l.money(amount, "EUR"), ctx);
    }

    private static EntryContext from(String ip) {
        return new EntryContext(Optional.of("test"), Optional.of(ip), Optional.of("game-client/1.0"));
    }

    static Stream<Arguments> scenarios() {
        FraudPolicy off = FraudPolicy.disabled();
        List<Scenario> all = List.of(
                new Scenario(
                        "velocity_count",
                        off.withVelocityCount(new RuleSettings.VelocityCount(true, 3, HOUR, R)),
                        (l, x) -> {
                            for (int i = 0; i < 3; i++) {
                                pay(l, "b" + i, x.p.get(0), x.p.get(1), "1.00");
                            }
                        },
                        (l, x) -> pay(l, "t", x.p.get(0), x.p.get(1), "1.00")),
                new Scenario(
                        "velocity_volume",
                        off.withVelocityVolume(new RuleSettings.VelocityVolume(true, Map.of("EUR", 10_00L), HOUR, R)),
                        (l, x) -> pay(l, "b", x.p.get(0), x.p.get(1), "6.00"),
                        (l, x) -> pay(l, "t", x.p.get(0), x.p.get(1), "4.01")),
                new Scenario(
                        "amount_anomaly",
                        off.withAmountAnomaly(
                                new RuleSettings.AmountAnomaly(true, 10, 5, 20, Duration.ofDays(7), 0, R)),
                        (l, x) -> {
                            for (int i = 0; i < 5; i++) {
                                pay(l, "b" + i, x.p.get(0), x.p.get(1), "1.00");
                            }
                        },
                        (l, x) -> pay(l, "t", x.p.get(0), x.p.get(1), "10.01")),
                new Scenario(
                        "new_account",
                        off.withNewAccount(
                                new RuleSettings.NewAccount(true, Duration.ofDays(1), 2, HOUR, Long.MAX_VALUE, R)),
                        (l, x) -> {
                            pay(l, "b0", x.p.get(0), x.p.get(1), "1.00");
                            pay(l, "b1", x.p.get(0), x.p.get(1), "1.00");
                        },
                        (l, x) -> pay(l, "t", x.p.get(0), x.p.get(1), "1.00")),
                new Scenario(
                        "pass_through",
                        off.withPassThrough(new RuleSettings.PassThrough(true, 10_00, 80, HOUR, R)),
                        (l, x) -> {
                            pay(l, "b0", x.p.get(1), x.p.get(0), "6.00");
                            pay(l, "b1", x.p.get(2), x.p.get(0), "4.00");
                        },
                        (l, x) -> pay(l, "t", x.p.get(0), x.p.get(3), "8.00")),
                new Scenario(
                        "fan_in",
                        off.withFanIn(
                                new RuleSettings.FanIn(true, 3, HOUR, Duration.ofDays(1), 3, Duration.ofDays(1), R)),
                        (l, x) -> {
                            pay(l, "b0", x.p.get(1), x.p.get(0), "1.00");
                            pay(l, "b1", x.p.get(2), x.p.get(0), "1.00");
                        },
                        (l, x) -> pay(l, "t", x.p.get(3), x.p.get(0), "1.00")),
                new Scenario(
                        "circular_flow",
                        off.withCircularFlow(new RuleSettings.CircularFlow(true, 3, HOUR, 1_00, R)),
                        (l, x) -> {
                            pay(l, "b0", x.p.get(0), x.p.get(1), "5.00");
                            pay(l, "b1", x.p.get(1), x.p.get(2), "4.00");
                        },
                        (l, x) -> pay(l, "t", x.p.get(2), x.p.get(0), "3.00")),
                new Scenario(
                        "shared_origin",
                        off.withSharedOrigin(new RuleSettings.SharedOrigin(true, 3, HOUR, false, R)),
                        (l, x) -> {
                            pay(l, "b0", x.p.get(0), x.shop, "1.00", from("203.0.113.9"));
                            pay(l, "b1", x.p.get(1), x.shop, "1.00", from("203.0.113.9"));
                        },
                        (l, x) -> pay(l, "t", x.p.get(2), x.shop, "1.00", from("203.0.113.9"))));
        List<Arguments> args = new ArrayList<>();
        for (StoreKind kind : StoreKind.values()) {
            all.forEach(s -> args.add(Arguments.of(kind, s)));
        }
        return args.stream();
    }

    private static Players players(Ledger l) {
        List<Account> p = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Account a = l.createAccount("p" + i, "p" + i + "@example.com", Role.USER);
            l.mint("m" + i, a.id(), l.money("100.00", "EUR"), CTX);
            p.add(a);
        }
        return new Players(p, l.createAccount("shop", "shop@example.com", Role.SYSTEM));
    }

    private static Players reload(Ledger l) {
        List<Account> p = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            p.add(l.reads().findAccount("p" + i).orElseThrow());
        }
        return new Players(p, l.reads().findAccount("shop").orElseThrow());
    }

    private static void assertRefused(Runnable payment) {
        assertThatThrownBy(payment::run)
                .isInstanceOfSatisfying(
                        RejectedException.class, e -> assertThat(e.code()).isEqualTo(RejectionCode.FRAUD_SUSPECTED));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("scenarios")
    void aRuleStillFiresAfterARestartInTheMiddleOfItsWindow(StoreKind kind, Scenario s) {
        LedgerConfig config = TestStores.config(kind).withRules(Rules.defaults().withFraudPolicy(s.policy()));
        try (Ledger ledger = Ledger.open(config)) {
            s.before().run(ledger, players(ledger));
        }
        try (Ledger ledger = Ledger.open(config)) {
            Players x = reload(ledger);
            assertRefused(() -> s.trigger().run(ledger, x));
            assertThat(ledger.reads().findEntry("t")).isEmpty();
            List<FraudEvent> events = ledger.fraud().list(Optional.of(FraudEvent.Status.OPEN), 0, 10);
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.rule()).isEqualTo(s.rule());
                assertThat(e.action()).isEqualTo(FraudAction.REJECT);
                assertThat(e.transactionIds()).contains("t");
            });
            Invariants.assertHold(ledger);
        }
    }

    private static FraudPolicy countRule(FraudAction action) {
        return FraudPolicy.disabled().withVelocityCount(new RuleSettings.VelocityCount(true, 1, HOUR, action));
    }

    /** The dump without the fraud events: what "the store is unchanged" compares. */
    private static String ledgerTables(LedgerStore store) {
        return StoreSql.dump(store).replaceAll("(?s)## fraud_events\n.*?(?=## |$)", "");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRejectionWritesNothingButItsEvent(StoreKind kind) {
        LedgerConfig config = TestStores.config(kind).withRules(Rules.defaults().withFraudPolicy(countRule(R)));
        LedgerStore store = Stores.open(config.location(), config.storeOptions());
        try (Ledger ledger = Ledger.open(store, config)) {
            Players x = players(ledger);
            pay(ledger, "t1", x.p.get(0), x.p.get(1), "1.00");
            String before = ledgerTables(store);

            assertRefused(() -> pay(ledger, "t2", x.p.get(0), x.p.get(1), "1.00"));

            assertThat(ledgerTables(store)).isEqualTo(before);
            assertThat(ledger.fraud().list(Optional.empty(), 0, 10))
                    .singleElement()
                    .satisfies(e -> assertThat(e.account()).isEqualTo(x.p.get(0).id()));
            assertThat(ledger.reads().findAccount("p0").orElseThrow().frozenForFraud())
                    .isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFlagCommitsThePaymentAndOpensAnEvent(StoreKind kind) {
        try (Ledger ledger = Ledger.open(
                TestStores.config(kind).withRules(Rules.defaults().withFraudPolicy(countRule(FraudAction.FLAG))))) {
            Players x = players(ledger);
            pay(ledger, "t1", x.p.get(0), x.p.get(1), "1.00");
            pay(ledger, "t2", x.p.get(0), x.p.get(1), "1.00");

            assertThat(ledger.reads().findEntry("t2")).isPresent();
            assertThat(ledger.fraud().list(Optional.of(FraudEvent.Status.OPEN), 0, 10))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.action()).isEqualTo(FraudAction.FLAG);
                        assertThat(e.transactionIds()).containsExactly("t2");
                        assertThat(e.figures()).contains("more than 1 payments");
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRepeatedFlagOpensNoSecondEventAfterARestart(StoreKind kind) {
        LedgerConfig config =
                TestStores.config(kind).withRules(Rules.defaults().withFraudPolicy(countRule(FraudAction.FLAG)));
        try (Ledger ledger = Ledger.open(config)) {
            Players x = players(ledger);
            pay(ledger, "t1", x.p.get(0), x.p.get(1), "1.00");
            pay(ledger, "t2", x.p.get(0), x.p.get(1), "1.00");
        }
        try (Ledger ledger = Ledger.open(config)) {
            Players x = reload(ledger);
            pay(ledger, "t3", x.p.get(0), x.p.get(1), "1.00");

            assertThat(ledger.reads().findEntry("t3")).isPresent();
            assertThat(ledger.fraud().list(Optional.empty(), 0, 10))
                    .singleElement()
                    .satisfies(e -> assertThat(e.transactionIds()).containsExactly("t2"));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFlagOfAnotherAccountStillOpensAnEventAfterARestart(StoreKind kind) {
        LedgerConfig config =
                TestStores.config(kind).withRules(Rules.defaults().withFraudPolicy(countRule(FraudAction.FLAG)));
        try (Ledger ledger = Ledger.open(config)) {
            Players x = players(ledger);
            pay(ledger, "t1", x.p.get(0), x.p.get(1), "1.00");
            pay(ledger, "t2", x.p.get(0), x.p.get(1), "1.00");
        }
        try (Ledger ledger = Ledger.open(config)) {
            Players x = reload(ledger);
            pay(ledger, "t3", x.p.get(1), x.p.get(2), "1.00");
            pay(ledger, "t4", x.p.get(1), x.p.get(2), "1.00");

            assertThat(ledger.fraud().list(Optional.empty(), 0, 10))
                    .extracting(FraudEvent::transactionIds)
                    .containsExactly(List.of("t2"), List.of("t4"));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFreezeRefusesFreezesTheSenderWithTheRuleAndOpensAnEvent(StoreKind kind) {
        try (Ledger ledger = Ledger.open(
                TestStores.config(kind).withRules(Rules.defaults().withFraudPolicy(countRule(FraudAction.FREEZE))))) {
            Players x = players(ledger);
            pay(ledger, "t1", x.p.get(0), x.p.get(1), "1.00");

            assertThatThrownBy(() -> pay(ledger, "t2", x.p.get(0), x.p.get(1), "1.00"))
                    .isInstanceOfSatisfying(
                            RejectedException.class, e -> assertThat(e.code()).isEqualTo(RejectionCode.ACCOUNT_FROZEN));

            Account p0 = ledger.reads().findAccount("p0").orElseThrow();
            assertThat(p0.frozenForFraud()).isTrue();
            assertThat(p0.frozenReason()).hasValueSatisfying(r -> assertThat(r).contains("velocity_count"));
            assertThat(ledger.fraud().list(Optional.empty(), 0, 10))
                    .singleElement()
                    .satisfies(e -> assertThat(e.action()).isEqualTo(FraudAction.FREEZE));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reviewConfirmsWithAFreezeAndReleasesWithAnUnfreeze(StoreKind kind) {
        try (Ledger ledger = Ledger.open(
                TestStores.config(kind).withRules(Rules.defaults().withFraudPolicy(countRule(FraudAction.FLAG))))) {
            Players x = players(ledger);
            pay(ledger, "t1", x.p.get(0), x.p.get(1), "1.00");
            pay(ledger, "t2", x.p.get(0), x.p.get(1), "1.00");
            pay(ledger, "t3", x.p.get(1), x.p.get(2), "1.00");
            pay(ledger, "t4", x.p.get(1), x.p.get(2), "1.00");
            List<FraudEvent> open = ledger.fraud().list(Optional.of(FraudEvent.Status.OPEN), 0, 10);
            assertThat(open).hasSize(2);

            FraudEvent confirmed = ledger.fraud().resolve(open.get(0).id(), FraudReview.Resolution.CONFIRM, "admin");
            assertThat(confirmed.status()).isEqualTo(FraudEvent.Status.CONFIRMED);
            assertThat(confirmed.resolvedBy()).contains("admin");
            assertThat(ledger.reads().findAccount("p0").orElseThrow().frozenForFraud())
                    .isTrue();
            assertThatThrownBy(() -> ledger.fraud().resolve(open.get(0).id(), FraudReview.Resolution.DISMISS, "admin"))
                    .isInstanceOf(RejectedException.class)
                    .hasMessageContaining("already confirmed");

            ledger.freezeAccount(x.p.get(1).id(), "manual hold");
            ledger.fraud().resolve(open.get(1).id(), FraudReview.Resolution.RELEASE, "admin");
            assertThat(ledger.reads().findAccount("p1").orElseThrow().frozenForFraud())
                    .isFalse();
            assertThat(ledger.fraud().list(Optional.of(FraudEvent.Status.OPEN), 0, 10))
                    .isEmpty();
            assertThat(ledger.fraud().list(Optional.empty(), open.get(0).id(), 10))
                    .as("cursor paging: after the first id")
                    .extracting(FraudEvent::id)
                    .containsExactly(open.get(1).id());
        }
    }

    /**
     * A second process writing the same ledger (here a second Ledger on the same store) is counted: it read
     * the windows from the ledger when it opened, and the first one's next commit meets a version conflict,
     * which reads the windows back, the other writer's payments included.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void paymentsOfAnotherWriterAreCounted(StoreKind kind) {
        FraudPolicy policy = FraudPolicy.disabled().withVelocityCount(new RuleSettings.VelocityCount(true, 3, HOUR, R));
        LedgerConfig config = TestStores.config(kind).withRules(Rules.defaults().withFraudPolicy(policy));
        try (Ledger first = Ledger.open(config)) {
            Players x = players(first);
            pay(first, "a1", x.p.get(0), x.p.get(1), "1.00");
            try (Ledger second = Ledger.open(config)) {
                pay(second, "b1", x.p.get(0), x.p.get(1), "1.00");
                pay(second, "b2", x.p.get(0), x.p.get(1), "1.00");
            }
            assertRefused(() -> pay(first, "a2", x.p.get(0), x.p.get(1), "1.00"));
        }
    }
}

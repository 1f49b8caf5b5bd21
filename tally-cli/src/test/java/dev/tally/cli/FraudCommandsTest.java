package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.engine.Rules;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.fraud.RuleSettings;
import dev.tally.core.ledger.EntryContext;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.store.testing.StoreKind;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code tally fraud events} and {@code tally fraud resolve}: the review queue from the command line. */
class FraudCommandsTest {
    /** A ledger where alice's second payment was flagged by the velocity rule. */
    private static String ledgerWithAFlag(StoreKind kind) {
        return ledgerWhereTheSecondPaymentTripped(kind, FraudAction.FLAG);
    }

    /** A ledger where alice's second payment (t2) tripped the velocity rule with {@code action}. */
    private static String ledgerWhereTheSecondPaymentTripped(StoreKind kind, FraudAction action) {
        String db = Cli.newLedger(kind);
        FraudPolicy policy = FraudPolicy.disabled()
                .withVelocityCount(new RuleSettings.VelocityCount(true, 1, Duration.ofMinutes(10), action));
        try (Ledger l = Ledger.open(LedgerConfig.defaults()
                .withLocation(db)
                .withRules(Rules.defaults().withFraudPolicy(policy)))) {
            Account alice = l.createAccount("alice", "alice@example.com", Role.USER);
            Account bob = l.createAccount("bob", "bob@example.com", Role.USER);
            l.mint("m", alice.id(), l.money("10.00", "EUR"), EntryContext.actor("t"));
            l.transfer("t1", alice.id(), bob.id(), l.money("1.00", "EUR"), EntryContext.actor("t"));
            l.transfer("t2", alice.id(), bob.id(), l.money("1.00", "EUR"), EntryContext.actor("t"));
        }
        return db;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void listsOpenEventsAndResolvesOneWithAFreezeAndAnAdminLogLine(StoreKind kind) {
        String db = ledgerWithAFlag(kind);

        JsonNode events = Cli.json(db, "fraud", "events", "--status", "open").get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("rule").asText()).isEqualTo("velocity_count");
        assertThat(Cli.on(db, "fraud", "events").out())
                .contains("velocity_count")
                .contains("open");
        long id = events.get(0).get("id").asLong();

        Cli.Run resolved = Cli.on(db, "fraud", "resolve", Long.toString(id), "--action", "confirm");

        assertThat(resolved.exitCode()).as(resolved.err()).isZero();
        assertThat(resolved.out()).contains("confirmed");
        assertThat(Cli.json(db, "fraud", "events", "--status", "open").get("events"))
                .isEmpty();
        assertThat(Cli.json(db, "account", "show", "alice").toString()).contains("\"is_frozen_for_fraud\":true");
        assertThat(Cli.dump(db)).contains("RESOLVE_FRAUD_EVENT");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBadActionOrAnEventNoLongerOpenIsRefused(StoreKind kind) {
        String db = ledgerWithAFlag(kind);
        Cli.on(db, "fraud", "resolve", "1", "--action", "ban").failed(ExitCodes.USAGE, "tally:");
        Cli.on(db, "fraud", "resolve", "1", "--action", "dismiss");
        Cli.on(db, "fraud", "resolve", "1", "--action", "dismiss").failed(ExitCodes.USAGE, "tally:");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void resolvingAHoldSaysThatTheHeldPaymentWasPosted(StoreKind kind) {
        String db = ledgerWhereTheSecondPaymentTripped(kind, FraudAction.HOLD);
        assertThat(Cli.on(db, "fraud", "events").out()).contains("hold t2");
        long id = Cli.json(db, "fraud", "events", "--status", "open")
                .get("events")
                .get(0)
                .get("id")
                .asLong();

        Cli.Run resolved = Cli.on(db, "fraud", "resolve", Long.toString(id), "--action", "release");

        assertThat(resolved.exitCode()).as(resolved.err()).isZero();
        assertThat(resolved.out()).contains("released").contains("held payment t2 posted by hold-post-t2");
        assertThat(Cli.json(db, "tx", "show", "hold-post-t2").toString()).contains("POST_PENDING");
    }
}

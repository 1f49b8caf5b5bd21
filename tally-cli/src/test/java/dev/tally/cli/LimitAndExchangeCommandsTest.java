package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.store.testing.StoreKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tally account limit} and {@code tally exchange}. */
class LimitAndExchangeCommandsTest {
    private static final Currency GOLD = new Currency("GOLD", 0);
    private static final Currency GEMS = new Currency("GEMS", 2);

    private static String aliceAndBob() {
        String db = Cli.newLedger(StoreKind.SQLITE);
        Cli.json(db, "account", "create", "--username", "alice", "--email", "alice@example.com");
        Cli.json(db, "account", "create", "--username", "bob", "--email", "bob@example.com");
        Cli.json(db, "mint", "--to", "alice", "--amount", "10.00", "--currency", "EUR");
        return db;
    }

    @Test
    void aCreditLimitLetsAnAccountOverdrawUpToItAndNoFurther() {
        String db = aliceAndBob();
        JsonNode set = Cli.json(db, "account", "limit", "alice", "--currency", "EUR", "--credit-limit", "50.00");
        assertThat(set.get("limits").get("EUR").get("credit_limit").asText()).isEqualTo("50.00");
        assertThat(set.get("limits").get("EUR").get("max_balance").isNull()).isTrue();
        Cli.json(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "55.00", "--currency", "EUR");
        assertThat(Cli.json(db, "account", "show", "alice")
                        .get("balances")
                        .get("EUR")
                        .asText())
                .isEqualTo("-45.00");
        String before = Cli.dump(db);
        Cli.Run over =
                Cli.on(db, "transfer", "--from", "alice", "--to", "bob", "--amount", "5.01", "--currency", "EUR");
        assertThat(over.exitCode()).isEqualTo(1);
        assertThat(over.err()).contains("CREDIT_LIMIT_EXCEEDED");
        assertThat(Cli.dump(db)).isEqualTo(before);
    }

    @Test
    void aStaleExpectedVersionIsRefusedAndWritesNothing() {
        String db = aliceAndBob();
        String before = Cli.dump(db);
        Cli.Run stale = Cli.on(
                db,
                "account",
                "limit",
                "alice",
                "--currency",
                "EUR",
                "--max-balance",
                "5.00",
                "--expected-version",
                "99");
        assertThat(stale.exitCode()).isEqualTo(1);
        assertThat(stale.err()).contains("VERSION_CONFLICT");
        assertThat(Cli.dump(db)).isEqualTo(before);
    }

    @Test
    void anExchangeThroughAMarketWritesBothLegs() {
        String db = aliceAndBob();
        Cli.json(db, "account", "create", "--username", "gem-market", "--email", "m@example.com", "--role", "SYSTEM");
        // GOLD and GEMS are enabled by another process (a server's configuration): the CLI finds their scales.
        try (Ledger ledger = Ledger.open(LedgerConfig.defaults()
                .withLocation(db)
                .withRules(Rules.defaults().withCurrencies(Currencies.of(List.of(Currency.EUR, GOLD, GEMS)))))) {
            EntryContext ctx = EntryContext.actor("setup");
            ledger.mint("g", ledger.reads().resolve("alice"), Money.ofMinor(GOLD, 100), ctx);
            ledger.mint("l", ledger.reads().resolve("gem-market"), Money.ofMinor(GEMS, 100_000), ctx);
        }
        JsonNode x = Cli.json(
                db,
                "exchange",
                "--account",
                "alice",
                "--market",
                "gem-market",
                "--amount",
                "10",
                "--currency",
                "GOLD",
                "--to-currency",
                "GEMS",
                "--rate",
                "2.5",
                "--fee-bps",
                "100",
                "--transaction-id",
                "x1");
        assertThat(x.get("entries")).hasSize(2);
        assertThat(x.get("entries").get(1).get("amount_net").asText()).isEqualTo("24.75");
        try (Ledger ledger = Ledger.open(LedgerConfig.defaults()
                .withLocation(db)
                .withRules(Rules.defaults().withCurrencies(Currencies.of(List.of(Currency.EUR, GOLD, GEMS)))))) {
            assertThat(ledger.reads().balances(ledger.reads().resolve("alice")).get("GEMS"))
                    .isEqualTo(Money.ofMinor(GEMS, 2_475));
        }
        String before = Cli.dump(db);
        Cli.Run dry = Cli.on(
                db,
                "exchange",
                "--account",
                "alice",
                "--market",
                "gem-market",
                "--amount",
                "90",
                "--currency",
                "GOLD",
                "--to-currency",
                "GEMS",
                "--rate",
                "20");
        assertThat(dry.exitCode()).isEqualTo(1);
        assertThat(dry.err()).contains("INSUFFICIENT_LIQUIDITY");
        assertThat(Cli.dump(db)).isEqualTo(before);
    }
}

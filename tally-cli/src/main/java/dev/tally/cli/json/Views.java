package dev.tally.cli.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.account.Account;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.ledger.SupplyReport;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The CLI's name for {@link dev.tally.server.json.Views}, which holds the JSON shapes of Tally's objects
 * for both the CLI's {@code --json} and the HTTP API, so that the two answer alike. Every method here only
 * forwards; the shapes and their documentation live in the server module.
 */
public final class Views {
    private Views() {
    }

    public static ObjectNode object() {
        return dev.tally.server.json.Views.object();
    }

    public static ArrayNode array() {
        return dev.tally.server.json.Views.array();
    }

    public static String write(JsonNode node) {
        return dev.tally.server.json.Views.write(node);
    }

    public static JsonNode read(String json) {
        return dev.tally.server.json.Views.read(json);
    }

    public static ObjectNode account(Account a, Map<String, Money> balances) {
        return dev.tally.server.json.Views.account(a, balances);
    }

    public static ObjectNode balances(Map<String, Money> balances) {
        return dev.tally.server.json.Views.balances(balances);
    }

    public static ObjectNode entry(LedgerEntry e, Currency currency) {
        return dev.tally.server.json.Views.entry(e, currency);
    }

    public static ArrayNode entries(Collection<LedgerEntry> entries, Function<String, Currency> currencies) {
        return dev.tally.server.json.Views.entries(entries, currencies);
    }

    public static ObjectNode supply(List<SupplyReport> reports) {
        return dev.tally.server.json.Views.supply(reports);
    }

    public static ObjectNode treasury(UUID treasuryId, Map<String, Money> balances, Map<TreasuryKey, Long> totals,
            Function<String, Currency> currencies) {
        return dev.tally.server.json.Views.treasury(treasuryId, balances, totals, currencies);
    }

    public static ObjectNode controls(LedgerControls c) {
        return dev.tally.server.json.Views.controls(c);
    }
}

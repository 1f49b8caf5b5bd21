package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.text.TextTable;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.ReadView;
import dev.tally.ledger.ReplicaConfig;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tally treasury}: the treasury's balances and its running tax totals per currency and kind. */
@Command(name = "treasury", description = "The treasury's balances and tax totals per currency and kind.")
final class TreasuryCommand extends LedgerCommand {
    @Mixin
    private ReplicaOptions replica = new ReplicaOptions();

    @Override
    protected Optional<ReplicaConfig> replicaConfig() {
        return replica.config();
    }

    @Override
    protected int run(Ledger ledger) {
        ReadView side = readSide(ledger);
        ObjectNode view = Views.treasury(
                ledger.rules().treasuryId(),
                side.reads().balances(ledger.rules().treasuryId()),
                side.reads().treasuryTotals(),
                side.reads()::currencyOrScale);
        if (json()) {
            printJson(withReadFrom(view, side));
            return ExitCodes.OK;
        }
        print(render(view));
        return ExitCodes.OK;
    }

    /** The treasury view as a table: one row per currency, one column per tax kind, then the balance. */
    static String render(ObjectNode view) {
        TextTable table = new TextTable("CURRENCY", "TRANSFER_TAX", "VAT", "INCOME_TAX", "BALANCE");
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        view.get("tax_totals").properties().iterator();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            JsonNode balance = view.get("balances").get(c.getKey());
            table.add(
                    c.getKey(),
                    c.getValue().get("TRANSFER_TAX").asText(),
                    c.getValue().get("VAT").asText(),
                    c.getValue().get("INCOME_TAX").asText(),
                    balance == null ? "0" : balance.asText());
        }
        return table.isEmpty() ? "the treasury has collected nothing yet" : table.render();
    }
}

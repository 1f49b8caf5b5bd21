package dev.tally.cli;

import dev.tally.cli.text.TextTable;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.ReplicaConfig;
import dev.tally.ledger.SupplyReport;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tally supply}: per currency, minted, burned and circulating (the sum of every balance, the
 * treasury's included), and whether circulating = minted − burned. Exits 0 either way: it reports; the
 * {@code conserved} field is what scripts check.
 */
@Command(name = "supply", description = "Minted, burned and circulating money per currency, and whether they agree.")
final class SupplyCommand extends LedgerCommand {
    @Mixin
    private ReplicaOptions replica = new ReplicaOptions();

    @Override
    protected Optional<ReplicaConfig> replicaConfig() {
        return replica.config();
    }

    @Override
    protected int run(Ledger ledger) {
        List<SupplyReport> reports = readSide(ledger).reads().supply();
        if (json()) {
            printJson(Views.supply(reports));
        } else {
            print(render(reports));
        }
        return ExitCodes.OK;
    }

    /** The supply report as a table. */
    static String render(List<SupplyReport> reports) {
        TextTable table = new TextTable("CURRENCY", "MINTED", "BURNED", "CIRCULATING", "CONSERVED");
        reports.forEach(r -> table.add(
                r.currency().code(),
                r.mintedText(),
                r.burnedText(),
                r.circulatingText(),
                r.conserved() ? "yes" : "NO"));
        return table.isEmpty() ? "no money has been minted yet" : table.render();
    }
}

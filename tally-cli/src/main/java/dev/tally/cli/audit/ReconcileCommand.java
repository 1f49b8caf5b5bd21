package dev.tally.cli.audit;

import dev.tally.cli.ExitCodes;
import dev.tally.cli.LedgerCommand;
import dev.tally.cli.ReplicaOptions;
import dev.tally.cli.text.TextTable;
import dev.tally.core.audit.Finding;
import dev.tally.core.audit.ReconciliationReport;
import dev.tally.json.Reports;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.ReadView;
import dev.tally.ledger.ReplicaConfig;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tally reconcile}: what the hash chain cannot see. Replays every entry and compares the result
 * with the stored balances, treasury tax totals and supply; records the run. Exits 0 when everything
 * matches, 1 when something does not, 2 when it could not run.
 */
@Command(
        name = "reconcile",
        description = {
            "Replay the ledger and compare it with the stored balances, treasury totals and supply.",
            "Exit code 0: everything matches; 1: mismatches found; 2: could not run (a bad option, no ledger)."
        })
public final class ReconcileCommand extends LedgerCommand {
    @Mixin
    private ReplicaOptions replica = new ReplicaOptions();

    @Override
    protected Optional<ReplicaConfig> replicaConfig() {
        return replica.config();
    }

    @Override
    protected int run(Ledger ledger) {
        ReadView view = readSide(ledger);
        ReconciliationReport report = view.audit().reconcile();
        if (json()) {
            printJson(withReadFrom(Reports.tree(report.toMap()), view));
        } else {
            print(summary(report) + readFromLine(view));
        }
        return report.valid() ? ExitCodes.OK : VerifyCommand.NOT_VALID;
    }

    static String summary(ReconciliationReport r) {
        StringBuilder out =
                new StringBuilder(r.valid() ? "" : "❌ ").append(r.message()).append('\n');
        out.append(String.format(
                Locale.ROOT,
                "   %,d transactions replayed, %,d balances and %,d treasury totals compared in %,d ms",
                r.entriesReplayed(),
                r.balancesChecked(),
                r.treasuryTotalsChecked(),
                r.elapsed().toMillis()));
        if (!r.findings().isEmpty()) {
            TextTable table = new TextTable("FINDING", "DETAIL");
            r.findings().forEach(f -> table.add(f.type().name(), f.message()));
            out.append(String.format(
                            Locale.ROOT, "%n   %d finding%s:%n", r.findingsTotal(), r.findingsTotal() == 1 ? "" : "s"))
                    .append(table.render());
            out.append("\n   ")
                    .append(r.findings().stream()
                            .filter(Finding::isError)
                            .findFirst()
                            .map(f -> f.type().securityRecommendation())
                            .orElse(""));
        }
        return out.toString();
    }
}

package dev.tally.cli.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.FileChecks;
import dev.tally.cli.LedgerCommand;
import dev.tally.cli.ReplicaOptions;
import dev.tally.cli.text.ProgressBar;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.ReadView;
import dev.tally.ledger.ReplicaConfig;
import dev.tally.store.export.ExportWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tally export}: the whole ledger as one JSON Lines file (docs/FORMAT.md, "Export"), from one
 * consistent snapshot while the ledger keeps running: header, signed checkpoints, accounts, every entry
 * with every field, and the stored balances, treasury totals and supply. {@code tally audit} verifies it
 * with no database; {@code tally import} restores it.
 */
@Command(
        name = "export",
        sortOptions = false,
        description = {
            "Export the ledger as JSON Lines: accounts, every entry, checkpoints and the stored state.",
            "Verify the file with tally audit; restore it with tally import."
        })
public final class ExportCommand extends LedgerCommand {
    @Mixin
    private ReplicaOptions replica = new ReplicaOptions();

    @Override
    protected Optional<ReplicaConfig> replicaConfig() {
        return replica.config();
    }

    @Option(
            names = "--out",
            paramLabel = "FILE",
            required = true,
            order = 1,
            description = "The file to write (replaced atomically).")
    Path file;

    @Override
    protected void validate() {
        FileChecks.writable(file, "the export");
    }

    @Override
    protected int run(Ledger ledger) {
        AtomicLong done = new AtomicLong();
        long t0 = System.nanoTime();
        ExportWriter.Summary s;
        ReadView view = readSide(ledger);
        ProgressBar bar =
                ProgressBar.start(err(), "exporting", view.reads().head().seq(), done::get);
        try {
            s = view.audit().export(file, done);
        } finally {
            bar.close();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (json()) {
            ObjectNode n = Views.object();
            n.put("file", file.toString());
            n.put("entries", s.entries());
            n.put("accounts", s.accounts());
            n.put("checkpoints", s.checkpoints());
            n.put("bytes", s.bytes());
            n.put("elapsed_ms", Math.round(seconds * 1000));
            printJson(withReadFrom(n, view));
        } else {
            print(String.format(
                    Locale.ROOT,
                    "Exported %,d entries, %,d accounts and %,d checkpoints to %s (%.1f MB) in %.1f s",
                    s.entries(),
                    s.accounts(),
                    s.checkpoints(),
                    file,
                    s.bytes() / 1e6,
                    seconds));
        }
        return ExitCodes.OK;
    }
}

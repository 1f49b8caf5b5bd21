package dev.tally.cli.transparency;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.LedgerCommand;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.merkle.TileExport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tally tiles export --out DIR}: the C2SP tlog-tiles tree as static files, incrementally. */
@Command(
        name = "tiles",
        description = "The log as C2SP tlog-tiles static files.",
        subcommands = {TilesCommand.Export.class})
public final class TilesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a tiles command is required (see 'tally tiles --help')");
    }

    /** {@code tally tiles export --out DIR}. */
    @Command(
            name = "export",
            description = {
                "Write the checkpoint, hash tiles and entry bundles of the newest checkpoint under DIR,",
                "as tally serve serves them under its prefix; a re-run writes only new tiles."
            })
    static final class Export extends LedgerCommand {
        @Option(names = "--out", paramLabel = "DIR", required = true, description = "The directory to write.")
        Path out;

        @Override
        protected int run(Ledger ledger) {
            TileExport.Result r = new TileExport(ledger.log().tiles()).export(out);
            if (json()) {
                ObjectNode n = Views.object();
                n.put("tree_size", r.treeSize());
                n.put("written", r.written());
                n.put("kept", r.kept());
                n.put("out", out.toString());
                printJson(n);
            } else {
                print("Tiles of the checkpoint of " + r.treeSize() + " entries in " + out + ": " + r.written()
                        + " written, " + r.kept() + " already there");
            }
            return ExitCodes.OK;
        }
    }
}

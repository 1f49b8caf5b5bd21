package dev.tally.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.store.NoLedgerException;
import dev.tally.store.OpenMode;
import picocli.CommandLine.Command;

/**
 * {@code tally init}: creates a new, empty ledger at {@code --db} (a SQLite file and its directory, or
 * Tally's tables in a PostgreSQL schema). It refuses a location that already holds a ledger, so it never
 * hands back an old ledger to someone who asked for a new one, and a file that is not one.
 */
@Command(
        name = "init",
        description = {
            "Create a new, empty ledger at --db (refused if one is already there).",
            "Commands other than init, demo, serve and import need an existing ledger."
        })
final class InitCommand extends LedgerCommand {
    @Override
    protected OpenMode openMode() {
        return OpenMode.CREATE;
    }

    /** The ledger opens only when there is none yet; opening it creates it. */
    @Override
    protected Ledger open(String location) {
        try {
            // It opened: a ledger is already there.
            openIn(location, OpenMode.EXISTING).close();
        } catch (NoLedgerException missing) {
            if (missing.creatable()) {
                return super.open(location);
            }
            throw noLedger(location, missing);
        } catch (RuntimeException e) {
            throw cannotOpen(location, e);
        }
        throw CliException.usage("a ledger already exists at " + redact(location) + "; nothing was changed");
    }

    @Override
    protected int run(Ledger ledger) {
        String where = ledger.describe();
        if (json()) {
            ObjectNode n = Views.object();
            n.put("created", true);
            n.put("db", redact(where));
            printJson(n);
        } else {
            print("Created a new, empty ledger at " + redact(where));
        }
        return ExitCodes.OK;
    }
}

package dev.tally.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code tally pending ...}: the pending transfers' housekeeping. */
@Command(
        name = "pending",
        description = "Pending transfers: run the expiry sweep.",
        subcommands = {PendingCommand.Expire.class})
final class PendingCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a pending command is required (see 'tally pending --help')");
    }

    /**
     * Runs the expiry sweep once, as {@code tally serve} does every second: every open pending transfer whose
     * timeout has passed is voided by a VOID_PENDING entry of its own. Safe to run beside a server (a sweep's
     * void has a fixed transaction id, so two sweeps write it once) and from cron where no server runs.
     */
    @Command(
            name = "expire",
            description = "Void every pending transfer whose timeout has passed (the sweep tally serve runs each"
                    + " second), and print the voids.")
    static final class Expire extends LedgerCommand {
        private static final int PER_PAGE = 1_000;

        @Override
        protected int run(Ledger ledger) {
            List<LedgerEntry> voided = ledger.expireAllPending(PER_PAGE);
            if (json()) {
                ObjectNode o = Views.object();
                o.put("voided", voided.size());
                o.set("entries", Views.entries(voided, ledger.reads()::currencyOrScale));
                printJson(o);
                return ExitCodes.OK;
            }
            StringBuilder out = new StringBuilder(
                    "voided " + voided.size() + " expired pending transfer" + (voided.size() == 1 ? "" : "s"));
            voided.forEach(v -> out.append("\n  ")
                    .append(v.reverses().orElse("?"))
                    .append(" (")
                    .append(v.transactionId())
                    .append(", #")
                    .append(v.seq())
                    .append(')'));
            print(out.toString());
            return ExitCodes.OK;
        }
    }
}

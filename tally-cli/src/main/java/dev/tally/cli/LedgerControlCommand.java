package dev.tally.cli;

import dev.tally.core.account.Account;
import dev.tally.core.engine.LedgerControls;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tally ledger freeze|unfreeze}: the global switch that stops every money movement (reads go on). */
@Command(
        name = "ledger",
        description = "Freeze or unfreeze every money movement in the ledger.",
        subcommands = {
            LedgerControlCommand.Freeze.class,
            LedgerControlCommand.Unfreeze.class,
        })
final class LedgerControlCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a ledger command is required (see 'tally ledger --help')");
    }

    /** Prints the controls after a change. */
    abstract static class ControlsOutput extends LedgerCommand {
        void show(LedgerControls c) {
            if (json()) {
                printJson(Views.controls(c));
            } else {
                print("ledger "
                        + (c.frozen()
                                ? "FROZEN" + c.reason().map(r -> ": " + r).orElse("") + " (no money can move)"
                                : "unfrozen (money can move)")
                        + c.actor().map(a -> "\n  by " + a).orElse("")
                        + c.changedAt().map(t -> " at " + t).orElse(""));
            }
        }
    }

    @Command(name = "freeze", description = "Stop every money movement until 'tally ledger unfreeze'.")
    static final class Freeze extends ControlsOutput {
        @Option(names = "--reason", required = true, paramLabel = "R", description = "Why (kept with the switch).")
        String reason;

        @Override
        protected int run(Ledger ledger) {
            if (reason.isBlank() || reason.length() > Account.MAX_REASON) {
                throw new IllegalArgumentException(
                        "a freeze needs a reason of 1-" + Account.MAX_REASON + " characters");
            }
            show(ledger.setLedgerFrozen(true, Optional.of(reason), Actors.cliActor()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "unfreeze", description = "Let money move again.")
    static final class Unfreeze extends ControlsOutput {
        @Override
        protected int run(Ledger ledger) {
            show(ledger.setLedgerFrozen(false, Optional.empty(), Actors.cliActor()));
            return ExitCodes.OK;
        }
    }
}

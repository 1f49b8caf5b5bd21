package dev.tally.cli;

import dev.tally.cli.text.EntryText;
import dev.tally.cli.text.Names;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tally tx show}: one entry by its transaction id. */
@Command(name = "tx", description = "Look up ledger entries.", subcommands = TxCommand.Show.class)
final class TxCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a tx command is required (see 'tally tx --help')");
    }

    @Command(name = "show", description = "Show one entry by its transaction id.")
    static final class Show extends LedgerCommand {
        @Parameters(paramLabel = "TRANSACTION_ID", description = "The client transaction id of the entry.")
        String transactionId;

        @Override
        protected int run(Ledger ledger) {
            LedgerEntry e = ledger.reads()
                    .findEntry(transactionId)
                    .orElseThrow(() -> new RejectedException(Rejection.of(
                            RejectionCode.UNKNOWN_TRANSACTION, "no entry with transaction_id " + transactionId)));
            if (json()) {
                printJson(Views.entry(e, ledger.reads().currencyOrScale(e.currency())));
            } else {
                print(EntryText.describe(e, ledger.reads().currencyOrScale(e.currency()), new Names(ledger)));
            }
            return ExitCodes.OK;
        }
    }
}

package dev.tally.cli;

import dev.tally.core.command.Command;
import dev.tally.ledger.Ledger;
import picocli.CommandLine;
import picocli.CommandLine.Parameters;

/** {@code tally reverse}: undoes an earlier entry with a new REVERSAL entry; history is never edited. */
@CommandLine.Command(
        name = "reverse",
        description = "Undo an earlier entry with a new REVERSAL entry (admin).",
        sortOptions = false)
final class ReverseCommand extends MovementCommand {
    @Parameters(paramLabel = "TRANSACTION_ID", description = "The transaction id of the entry to undo.")
    String original;

    @Override
    protected int run(Ledger ledger) throws Exception {
        return submitAndPrint(ledger, new Command.Reverse(transactionId(), original, movementContext()));
    }
}

package dev.tally.cli;

import dev.tally.core.command.Command;
import dev.tally.ledger.Ledger;
import picocli.CommandLine;
import picocli.CommandLine.Parameters;

/** {@code tally void}: releases a pending transfer whole, back to its sender. */
@CommandLine.Command(name = "void", description = "Release a pending transfer back to its sender.", sortOptions = false)
final class VoidCommand extends MovementCommand {
    @Parameters(paramLabel = "PENDING_ID", description = "The transaction id of the pending transfer.")
    String pending;

    @Override
    protected int run(Ledger ledger) throws Exception {
        return submitAndPrint(ledger, new Command.VoidPending(transactionId(), pending, movementContext()));
    }
}

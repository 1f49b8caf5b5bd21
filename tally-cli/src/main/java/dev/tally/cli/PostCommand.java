package dev.tally.cli;

import dev.tally.core.command.Command;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Money;
import dev.tally.ledger.Ledger;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tally post}: completes a pending transfer, whole or in part; the rest goes back to the sender. */
@CommandLine.Command(
        name = "post",
        description = "Complete a pending transfer (tax on what is posted; the rest is released).",
        sortOptions = false)
final class PostCommand extends MovementCommand {
    @Parameters(paramLabel = "PENDING_ID", description = "The transaction id of the pending transfer.")
    String pending;

    @Option(
            names = "--amount",
            paramLabel = "AMOUNT",
            order = 20,
            description = "Post only this much (at most the pending amount); default: all of it.")
    Optional<String> amount;

    @Override
    protected int run(Ledger ledger) throws Exception {
        Optional<Money> posted = Optional.empty();
        if (amount.isPresent()) {
            LedgerEntry p = ledger.reads()
                    .findEntry(pending)
                    .orElseThrow(() -> new dev.tally.core.error.RejectedException(dev.tally.core.error.Rejection.of(
                            dev.tally.core.error.RejectionCode.UNKNOWN_TRANSACTION, "no transaction " + pending)));
            posted = Optional.of(ledger.money(amount.get(), p.currency()));
        }
        return submitAndPrint(ledger, new Command.PostPending(transactionId(), pending, posted, movementContext()));
    }
}

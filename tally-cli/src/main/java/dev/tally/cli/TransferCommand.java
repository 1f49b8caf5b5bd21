package dev.tally.cli;

import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryType;
import dev.tally.ledger.Ledger;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tally transfer}: moves money between two accounts as a TRANSFER (transfer tax), PURCHASE (VAT)
 * or INCOME (income tax); the tax is withheld from the amount and goes to the treasury.
 */
@CommandLine.Command(
        name = "transfer",
        description = "Move money between accounts; the tax goes to the treasury.",
        sortOptions = false)
final class TransferCommand extends MovementCommand {
    @Option(
            names = "--from",
            required = true,
            paramLabel = "A",
            order = 10,
            description = "Sender: account id or username.")
    String from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "B",
            order = 11,
            description = "Receiver: account id or username.")
    String to;

    @Mixin
    AmountOptions amount;

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            defaultValue = "TRANSFER",
            order = 30,
            description = "TRANSFER (transfer tax), PURCHASE (VAT) or INCOME (income tax). Default: ${DEFAULT-VALUE}.")
    EntryType type;

    @Override
    protected int run(Ledger ledger) throws Exception {
        return submitAndPrint(
                ledger,
                new Command.Payment(
                        transactionId(),
                        type,
                        ledger.reads().resolve(from),
                        ledger.reads().resolve(to),
                        amount.money(ledger),
                        movementContext()));
    }
}

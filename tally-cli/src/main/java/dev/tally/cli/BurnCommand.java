package dev.tally.cli;

import dev.tally.core.command.Command;
import dev.tally.ledger.Ledger;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tally burn}: destroys money in an account (an admin operation; counted as burned supply). */
@CommandLine.Command(name = "burn", description = "Destroy money in an account (admin).", sortOptions = false)
final class BurnCommand extends MovementCommand {
    @Option(
            names = "--from",
            required = true,
            paramLabel = "ACCOUNT",
            order = 10,
            description = "Account id or username.")
    String from;

    @Mixin
    AmountOptions amount;

    @Override
    protected int run(Ledger ledger) throws Exception {
        return submitAndPrint(
                ledger,
                new Command.Burn(
                        transactionId(), ledger.reads().resolve(from), amount.money(ledger), movementContext()));
    }
}

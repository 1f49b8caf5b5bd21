package dev.tally.cli;

import dev.tally.core.command.Command;
import dev.tally.ledger.Ledger;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tally mint}: creates money in an account (an admin operation; counted as minted supply). */
@CommandLine.Command(name = "mint", description = "Create money in an account (admin).", sortOptions = false)
final class MintCommand extends MovementCommand {
    @Option(
            names = "--to",
            required = true,
            paramLabel = "ACCOUNT",
            order = 10,
            description = "Account id or username.")
    String to;

    @Mixin
    AmountOptions amount;

    @Override
    protected int run(Ledger ledger) throws Exception {
        return submitAndPrint(
                ledger,
                new Command.Mint(transactionId(), ledger.reads().resolve(to), amount.money(ledger), movementContext()));
    }
}

package dev.tally.cli;

import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryType;
import dev.tally.ledger.Ledger;
import java.time.Duration;
import java.util.Optional;
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

    @Option(
            names = "--pending",
            order = 31,
            description = "Only reserve the amount: it leaves the sender now and reaches the receiver when posted"
                    + " (tally post ID), is released by tally void ID, or when --timeout passes.")
    boolean pending;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            order = 32,
            description = "With --pending: how long until the ledger voids it, e.g. 90s, 10m, 2h, 1d (at most 30d).")
    Optional<String> timeout;

    @Override
    protected int run(Ledger ledger) throws Exception {
        if (timeout.isPresent() && !pending) {
            throw new IllegalArgumentException("--timeout needs --pending");
        }
        if (pending) {
            return submitAndPrint(
                    ledger,
                    new Command.CreatePending(
                            transactionId(),
                            type,
                            ledger.reads().resolve(from),
                            ledger.reads().resolve(to),
                            amount.money(ledger),
                            parseTimeout(timeout.orElseThrow(
                                    () -> new IllegalArgumentException("--pending needs --timeout, e.g. 10m"))),
                            movementContext()));
        }
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

    /** {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}, or an ISO-8601 duration such as {@code PT10M}. */
    static Duration parseTimeout(String text) {
        if (text.matches("[0-9]{1,7}[smhd]")) {
            long n = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--timeout must look like 90s, 10m, 2h, 1d or PT10M, not " + text);
        }
    }
}

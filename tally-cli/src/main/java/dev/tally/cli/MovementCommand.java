package dev.tally.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.text.EntryText;
import dev.tally.cli.text.Names;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.error.RejectedException;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.Metadata;
import dev.tally.core.money.Money;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Option;

/**
 * The base of the commands that write a ledger entry (mint, burn, transfer, reverse): the client
 * transaction id, submission through the sequencer, and printing the entry, saying when it was an
 * idempotent replay of an earlier one.
 */
abstract class MovementCommand extends LedgerCommand {
    @Option(
            names = "--transaction-id",
            paramLabel = "ID",
            order = 50,
            description = "Your idempotency key (1-128 printable ASCII). The same id with the same content returns"
                    + " the original entry; with other content it is refused. Default: a random UUID.")
    Optional<String> transactionId;

    @Option(
            names = "--metadata",
            paramLabel = "KEY=VALUE",
            order = 51,
            description = "Metadata recorded (and hashed) with the entry, e.g. --metadata order_id=A-1; repeatable,"
                    + " at most 16 keys of A-Z a-z 0-9 _ . - (1-64 characters), 2 KiB in all.")
    List<String> metadata = new ArrayList<>();

    /** The CLI's entry context with the metadata given. */
    EntryContext movementContext() {
        return context().withMetadata(parseMetadata(metadata));
    }

    /** {@code KEY=VALUE} pairs as metadata; a repeated key or a broken limit is a usage error. */
    static Metadata parseMetadata(List<String> pairs) {
        Map<String, String> values = new TreeMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--metadata takes KEY=VALUE, not " + pair);
            }
            if (values.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("--metadata key " + pair.substring(0, eq) + " is given twice");
            }
        }
        return Metadata.of(values);
    }

    /** The transaction id given, or a fresh UUID. */
    String transactionId() {
        return transactionId(transactionId);
    }

    /** Submits a movement, waits until it is durable, prints the entry; a rejection throws. */
    int submitAndPrint(Ledger ledger, Command.Movement command) throws InterruptedException, ExecutionException {
        Outcome outcome = ledger.submit((Command) command).get();
        LedgerEntry entry = switch (outcome) {
            case Outcome.Written w -> w.entry();
            case Outcome.Replayed r -> r.entry();
            case Outcome.Held h -> h.pending();
            case Outcome.Rejected r -> throw new RejectedException(r.rejection());
            default -> throw new AssertionError("a movement ended as " + outcome);
        };
        if (outcome instanceof Outcome.Held h) {
            return printHeld(ledger, h);
        }
        boolean replayed = outcome instanceof Outcome.Replayed;
        if (json()) {
            ObjectNode o = Views.entry(entry, ledger.reads().currencyOrScale(entry.currency()));
            o.put("replayed", replayed);
            printJson(o);
        } else {
            print(EntryText.describe(entry, ledger.reads().currencyOrScale(entry.currency()), new Names(ledger))
                    + (replayed
                            ? "\n(replayed: transaction_id " + entry.transactionId()
                                    + " was already in the ledger; nothing new was written)"
                            : ""));
        }
        return ExitCodes.OK;
    }

    /**
     * A payment the fraud shield held: not an error (the amount is reserved and review decides), so it exits
     * 0, but the output says plainly that nothing reached the receiver.
     */
    private int printHeld(Ledger ledger, Outcome.Held h) {
        LedgerEntry pending = h.pending();
        Optional<Long> event = ledger.fraud().holding(pending.transactionId()).stream()
                .map(dev.tally.core.fraud.FraudEvent::id)
                .findFirst();
        if (json()) {
            ObjectNode o = Views.entry(pending, ledger.reads().currencyOrScale(pending.currency()));
            o.put("replayed", h.replayed());
            o.put("held", true);
            o.put("rule", h.rule());
            if (event.isPresent()) {
                o.put("fraud_event_id", event.get());
            } else {
                o.putNull("fraud_event_id");
            }
            printJson(o);
        } else {
            print(EntryText.describe(pending, ledger.reads().currencyOrScale(pending.currency()), new Names(ledger))
                    + "\nHELD pending fraud review (rule " + h.rule() + "): the amount is reserved as pending transfer "
                    + pending.transactionId() + "; nothing has reached the receiver"
                    + event.map(id -> "; fraud event " + id).orElse("") + "; the hold expires at "
                    + dev.tally.core.engine.Engine.expiresAt(pending)
                    + (h.replayed()
                            ? "\n(replayed: this transaction_id was already held; nothing new was reserved)"
                            : ""));
        }
        return ExitCodes.OK;
    }

    /** Amount options shared by mint, burn and transfer. */
    static final class AmountOptions {
        @Option(
                names = "--amount",
                required = true,
                paramLabel = "AMOUNT",
                order = 20,
                description = "A positive decimal with at most the currency's decimals, e.g. 12.50.")
        String amount;

        @Option(
                names = "--currency",
                required = true,
                paramLabel = "CODE",
                order = 21,
                description = "A currency of the ledger, e.g. EUR.")
        String currency;

        /** Parses the amount in the ledger's currency: UNKNOWN_CURRENCY, or VALIDATION_FAILED for a bad amount. */
        Money money(Ledger ledger) {
            return ledger.money(amount, currency.toUpperCase(Locale.ROOT));
        }
    }
}

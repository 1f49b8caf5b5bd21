package dev.tally.cli.fraud;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.Actors;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.LedgerCommand;
import dev.tally.cli.text.TextTable;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.json.FraudViews;
import dev.tally.json.Views;
import dev.tally.ledger.FraudReview;
import dev.tally.ledger.Ledger;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tally fraud events|resolve}: the fraud shield's review queue from the command line. */
@Command(
        name = "fraud",
        description = "List the fraud shield's events and resolve them.",
        subcommands = {FraudCommand.Events.class, FraudCommand.Resolve.class})
public final class FraudCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a fraud command is required (see 'tally fraud --help')");
    }

    @Command(name = "events", description = "Fraud events, oldest first.")
    static final class Events extends LedgerCommand {
        @Option(names = "--status", paramLabel = "S", description = "open, dismissed, confirmed or released.")
        Optional<String> status = Optional.empty();

        @Option(names = "--after", paramLabel = "ID", description = "Only events after this id (paging).")
        long after;

        @Option(names = "--limit", paramLabel = "N", description = "At most N events (default 100).")
        int limit = 100;

        @Override
        protected int run(Ledger ledger) {
            if (limit < 1 || limit > 10_000) {
                throw new IllegalArgumentException("--limit must be between 1 and 10000");
            }
            List<FraudEvent> events = ledger.fraud().list(status.map(FraudEvent.Status::parse), after, limit);
            if (json()) {
                ArrayNode items = Views.array();
                events.forEach(e -> items.add(FraudViews.event(e)));
                ObjectNode o = Views.object();
                o.set("events", items);
                printJson(o);
                return ExitCodes.OK;
            }
            TextTable table = new TextTable("ID", "CREATED", "RULE", "ACTION", "STATUS", "ACCOUNT", "FIGURES");
            for (FraudEvent e : events) {
                table.add(
                        Long.toString(e.id()),
                        e.createdAt().toString(),
                        e.rule(),
                        e.action().label()
                                + e.pendingTransactionId().map(p -> " " + p).orElse(""),
                        e.status().label(),
                        e.account().toString(),
                        e.figures());
            }
            print(table.isEmpty() ? "no fraud events" : table.render());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "resolve",
            description = "Resolve an open event: dismiss, confirm (freezes the account) or release (unfreezes it).")
    static final class Resolve extends LedgerCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The event id.")
        long id;

        @Option(names = "--action", required = true, paramLabel = "A", description = "dismiss, confirm or release.")
        String action;

        @Override
        protected int run(Ledger ledger) {
            FraudReview.Resolved r =
                    ledger.fraud().resolution(id, FraudReview.Resolution.parse(action), Actors.cliActor());
            FraudEvent e = r.event();
            if (json()) {
                ObjectNode o = FraudViews.event(e);
                r.effect().ifPresent(effect -> o.put("effect", effect));
                printJson(o);
            } else {
                print("fraud event " + e.id() + " (" + e.rule() + ", account " + e.account() + ") is now "
                        + e.status().label()
                        + r.effect().map(effect -> "\n" + effect).orElse(""));
            }
            return ExitCodes.OK;
        }
    }
}

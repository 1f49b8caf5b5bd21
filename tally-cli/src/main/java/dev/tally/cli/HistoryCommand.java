package dev.tally.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.text.Names;
import dev.tally.cli.text.TextTable;
import dev.tally.core.account.Account;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Money;
import dev.tally.core.store.HistoryQuery;
import dev.tally.core.store.HistoryQuery.Cursor;
import dev.tally.core.store.HistoryQuery.Direction;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.ReadView;
import dev.tally.ledger.ReplicaConfig;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tally history}: an account's entries, newest first, a page at a time. Pages are keyset
 * paginated on (created_at, seq): the cursor printed under a page starts the next one, and stays correct
 * while new entries arrive.
 */
@Command(name = "history", description = "An account's entries, newest first, a page at a time.", sortOptions = false)
final class HistoryCommand extends LedgerCommand {
    @Mixin
    private ReplicaOptions replica = new ReplicaOptions();

    @Override
    protected Optional<ReplicaConfig> replicaConfig() {
        return replica.config();
    }

    @Parameters(paramLabel = "ACCOUNT", description = "Account id or username.")
    String account;

    @Option(
            names = "--direction",
            paramLabel = "D",
            defaultValue = "ALL",
            order = 10,
            description = "sent, received or all (default: all).")
    Direction direction;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            order = 11,
            description = "Page size, 1-" + HistoryQuery.MAX_LIMIT + " (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(
            names = "--cursor",
            paramLabel = "C",
            order = 12,
            description = "Where the previous page ended (printed under it).")
    Optional<String> cursor;

    @Option(
            names = "--metadata",
            paramLabel = "KEY=VALUE",
            order = 13,
            description = "Only entries whose metadata holds KEY with exactly VALUE (not indexed: scans the"
                    + " account's history).")
    Optional<String> metadata;

    @Override
    protected int run(Ledger ledger) {
        if (limit < 1 || limit > HistoryQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + HistoryQuery.MAX_LIMIT);
        }
        Optional<Cursor> before = cursor.map(Cursor::parse);
        ReadView view = readSide(ledger);
        Account owner = account(view.reads(), account);
        // One more than asked tells whether there is a next page without a second query.
        int fetch = Math.min(limit + 1, HistoryQuery.MAX_LIMIT);
        HistoryQuery query = new HistoryQuery(owner.id(), direction, before, fetch);
        if (metadata.isPresent()) {
            int eq = metadata.get().indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--metadata takes KEY=VALUE, not " + metadata.get());
            }
            query = query.withMetadata(new HistoryQuery.MetadataMatch(
                    metadata.get().substring(0, eq), metadata.get().substring(eq + 1)));
        }
        List<LedgerEntry> found = view.reads().history(query);
        List<LedgerEntry> page = found.subList(0, Math.min(limit, found.size()));
        boolean more = found.size() > limit || (limit == HistoryQuery.MAX_LIMIT && found.size() == limit);
        Optional<String> next =
                more ? Optional.of(Cursor.after(page.get(page.size() - 1)).toString()) : Optional.empty();
        if (json()) {
            ObjectNode o = Views.object();
            o.put("account_id", owner.id().toString());
            o.put("username", owner.username());
            o.put("direction", direction.name().toLowerCase(Locale.ROOT));
            o.set("entries", Views.entries(page, view.reads()::currencyOrScale));
            next.ifPresentOrElse(n -> o.put("next_cursor", n), () -> o.putNull("next_cursor"));
            printJson(withReadFrom(o, view));
            return ExitCodes.OK;
        }
        Names names = new Names(ledger);
        TextTable table = new TextTable(
                "SEQ", "CREATED_AT", "TYPE", "COUNTERPARTY", "AMOUNT", "TAX", "CURRENCY", "TRANSACTION_ID");
        for (LedgerEntry e : page) {
            int scale = view.reads().currencyOrScale(e.currency()).scale();
            boolean sent = e.senderId().map(owner.id()::equals).orElse(false);
            // Seen from the account: a sender pays the gross, a receiver gets the net.
            String amount =
                    sent ? "-" + Money.format(e.amountGross(), scale) : "+" + Money.format(e.amountNet(), scale);
            Optional<UUID> other = sent ? e.receiverId() : e.senderId();
            table.add(
                    e.seq(),
                    e.createdAt(),
                    e.type(),
                    names.of(other),
                    amount,
                    Money.format(e.taxWithheld(), scale),
                    e.currency(),
                    e.transactionId());
        }
        print(page.isEmpty() ? "no entries" : table.render());
        next.ifPresent(n -> print("next page: --cursor " + n));
        return ExitCodes.OK;
    }
}

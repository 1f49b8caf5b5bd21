package dev.tally.store.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.core.store.HistoryQuery;
import dev.tally.store.Stores;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import dev.tally.store.testing.StoreWrites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Migration V21 (history indexed behind the commit) on a SQLite ledger at V20 that already holds entries: it
 * drops the two history indexes, the store builds the side file from the entries when it opens, and an
 * account's history is exactly the entries that name it, those written before the upgrade and after it.
 */
class HistoryIndexMigrationTest {
    private static final UUID ALICE = UUID.fromString("0190a1b2-0000-7000-8000-00000000000a");
    private static final UUID BOB = UUID.fromString("0190a1b2-0000-7000-8000-00000000000b");
    private static final UUID CAROL = UUID.fromString("0190a1b2-0000-7000-8000-00000000000c");
    private static final String HISTORY_INDEXES = "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
            + " AND name IN ('ledger_sender_created_idx', 'ledger_receiver_created_idx')";

    private final List<Written> written = new ArrayList<>();

    @Test
    void theUpgradeDropsTheTwoHistoryIndexesAndBuildsTheSideFileFromTheEntries() {
        Path ledger = ledgerAtV20();
        try (JdbcLedgerStore v20 = storeUnderV20(ledger)) {
            writeSome(v20, "before", 12);
        }
        assertThat(StoreSql.queryLongAt(url(ledger), HISTORY_INDEXES)).isEqualTo(2);
        assertThat(PostingsFile.pathFor(ledger)).doesNotExist();

        try (JdbcLedgerStore upgraded = (JdbcLedgerStore) Stores.open(ledger.toString())) {
            assertThat(StoreSql.queryLongAt(url(ledger), HISTORY_INDEXES)).isZero();
            assertThat(PostingsFile.pathFor(ledger)).exists();
            assertThat(StoreSql.queryLongAt(url(PostingsFile.pathFor(ledger)), "SELECT seq FROM indexed"))
                    .as("the side file covers every entry from the moment the store opens")
                    .isEqualTo(upgraded.loadHead().seq());
        }
    }

    @Test
    void anAccountsHistoryAfterTheUpgradeIsExactlyItsEntriesFromBeforeAndAfterIt() {
        Path ledger = ledgerAtV20();
        List<LedgerEntry> beforeUpgrade;
        long upgradedAt;
        try (JdbcLedgerStore v20 = storeUnderV20(ledger)) {
            writeSome(v20, "before", 12);
            beforeUpgrade = historyOf(v20, ALICE, HistoryQuery.Direction.ALL);
            upgradedAt = v20.loadHead().seq();
        }
        assertThat(beforeUpgrade).extracting(LedgerEntry::transactionId).containsExactlyElementsOf(naming(ALICE));

        try (JdbcLedgerStore upgraded = (JdbcLedgerStore) Stores.open(ledger.toString())) {
            writeSome(upgraded, "after", 9);

            List<LedgerEntry> history = historyOf(upgraded, ALICE, HistoryQuery.Direction.ALL);
            assertThat(history).extracting(LedgerEntry::transactionId).containsExactlyElementsOf(naming(ALICE));
            assertThat(history).endsWith(beforeUpgrade.toArray(LedgerEntry[]::new));
            assertThat(upgraded.accountEntries(
                            ALICE, upgradedAt, upgraded.loadHead().seq()))
                    .extracting(LedgerEntry::transactionId)
                    .containsExactlyElementsOf(oldestFirst(naming(ALICE)).stream()
                            .filter(id -> id.startsWith("after"))
                            .toList());
        }
    }

    @Test
    void afterTheUpgradeEveryAccountsHistoryInEachDirectionMatchesItsEntriesAcrossAReopen() {
        Path ledger = ledgerAtV20();
        try (JdbcLedgerStore v20 = storeUnderV20(ledger)) {
            writeSome(v20, "before", 12);
        }
        try (JdbcLedgerStore upgraded = (JdbcLedgerStore) Stores.open(ledger.toString())) {
            writeSome(upgraded, "after", 9);
            assertHistoriesExact(upgraded);
        }
        // Closed, the side file holds every entry: now the same reads come from the index alone.
        try (JdbcLedgerStore reopened = (JdbcLedgerStore) Stores.open(ledger.toString())) {
            assertHistoriesExact(reopened);
        }
    }

    private void assertHistoriesExact(JdbcLedgerStore store) {
        long head = store.loadHead().seq();
        for (UUID account : List.of(ALICE, BOB, CAROL)) {
            assertThat(historyOf(store, account, HistoryQuery.Direction.ALL))
                    .extracting(LedgerEntry::transactionId)
                    .as("all of %s", account)
                    .containsExactlyElementsOf(naming(account));
            assertThat(historyOf(store, account, HistoryQuery.Direction.SENT))
                    .extracting(LedgerEntry::transactionId)
                    .as("sent by %s", account)
                    .containsExactlyElementsOf(sentBy(account));
            assertThat(historyOf(store, account, HistoryQuery.Direction.RECEIVED))
                    .extracting(LedgerEntry::transactionId)
                    .as("received by %s", account)
                    .containsExactlyElementsOf(receivedBy(account));
            assertThat(store.accountEntries(account, 0, head))
                    .extracting(LedgerEntry::transactionId)
                    .as("entries of %s", account)
                    .containsExactlyElementsOf(oldestFirst(naming(account)));
        }
    }

    /** A new SQLite file migrated only up to V20, the schema before the history moved to the side file. */
    private static Path ledgerAtV20() {
        Path file = Path.of(StoreKind.SQLITE.freshLocation());
        Flyway.configure()
                .dataSource(url(file), null, null)
                .locations(Dialect.SQLITE.migrationLocation())
                .table("tally_schema_history")
                .target("20")
                .load()
                .migrate();
        return file;
    }

    /**
     * The store over a V20 file without migrating it, as the release before V21 opened it: no side file, its
     * history read through the two indexes V21 drops (the tables are the same under V20 and V21).
     */
    private static JdbcLedgerStore storeUnderV20(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(30_000);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl(url(file));
        return new JdbcLedgerStore(sqlite, Dialect.SQLITE, "sqlite (schema V20): " + file, () -> {});
    }

    private static String url(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    /**
     * Opens the three accounts and mints into them on the first call, then writes {@code transfers} transfers
     * among them, a few to a batch, each recorded in {@link #written}.
     */
    private void writeSome(JdbcLedgerStore store, String prefix, int transfers) {
        if (written.isEmpty()) {
            StoreWrites.openTreasury(store);
            StoreWrites.apply(
                    store,
                    List.of(
                            new Command.OpenAccount(ALICE, "alice", "alice@example.com", Role.USER),
                            new Command.OpenAccount(BOB, "bob", "bob@example.com", Role.USER),
                            new Command.OpenAccount(CAROL, "carol", "carol@example.com", Role.USER)));
            List<Command> mints = new ArrayList<>();
            for (UUID account : List.of(ALICE, BOB, CAROL)) {
                String id = "mint-" + account.toString().substring(34);
                mints.add(new Command.Mint(id, account, eur("1000.00"), EntryContext.actor("admin")));
                written.add(new Written(id, Optional.empty(), account));
            }
            StoreWrites.apply(store, mints);
        }
        UUID[] accounts = {ALICE, BOB, CAROL};
        List<Command> batch = new ArrayList<>();
        for (int i = 0; i < transfers; i++) {
            UUID from = accounts[i % 3];
            // One or two steps on, alternating every three transfers: every pair, both ways.
            UUID to = accounts[(i + 1 + (i / 3) % 2) % 3];
            String id = prefix + "-" + i;
            batch.add(new Command.Payment(id, EntryType.TRANSFER, from, to, eur("1.00"), EntryContext.actor("test")));
            written.add(new Written(id, Optional.of(from), to));
            if (batch.size() == 4 || i == transfers - 1) {
                StoreWrites.apply(store, batch);
                batch.clear();
            }
        }
    }

    /** The whole history of an account in one direction, newest first, read in small pages. */
    private static List<LedgerEntry> historyOf(JdbcLedgerStore store, UUID account, HistoryQuery.Direction direction) {
        int page = 4;
        List<LedgerEntry> all = new ArrayList<>();
        Optional<HistoryQuery.Cursor> cursor = Optional.empty();
        while (true) {
            List<LedgerEntry> found = store.history(new HistoryQuery(account, direction, cursor, page));
            all.addAll(found);
            if (found.size() < page) {
                return all;
            }
            cursor = Optional.of(HistoryQuery.Cursor.after(found.get(found.size() - 1)));
        }
    }

    /** The ids of the entries written that name {@code account}, newest first. */
    private List<String> naming(UUID account) {
        return newestFirst(written.stream()
                .filter(w -> w.receiver().equals(account) || w.sender().equals(Optional.of(account)))
                .map(Written::transactionId)
                .toList());
    }

    private List<String> sentBy(UUID account) {
        return newestFirst(written.stream()
                .filter(w -> w.sender().equals(Optional.of(account)))
                .map(Written::transactionId)
                .toList());
    }

    private List<String> receivedBy(UUID account) {
        return newestFirst(written.stream()
                .filter(w -> w.receiver().equals(account))
                .map(Written::transactionId)
                .toList());
    }

    private static List<String> newestFirst(List<String> oldestFirst) {
        return oldestFirst.reversed();
    }

    private static List<String> oldestFirst(List<String> newestFirst) {
        return newestFirst.reversed();
    }

    private static Money eur(String amount) {
        return Money.parse(amount, Currency.EUR);
    }

    /** An entry this test wrote: a mint has no sender among the test's accounts. */
    private record Written(String transactionId, Optional<UUID> sender, UUID receiver) {}
}

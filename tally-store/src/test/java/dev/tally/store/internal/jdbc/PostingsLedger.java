package dev.tally.store.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.Metadata;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.core.store.HistoryQuery;
import dev.tally.core.store.HistoryQuery.Direction;
import dev.tally.store.StoreOptions;
import dev.tally.store.Stores;
import dev.tally.store.testing.StoreWrites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * A SQLite ledger for the history index's tests: a few accounts with money, transfers among them written through
 * the real store in batches, and the oracle every history read is held to (a filter of all the ledger's entries).
 */
final class PostingsLedger implements AutoCloseable {
    /** The metadata pair the rare entries carry, and a filter that matches only them. */
    static final HistoryQuery.MetadataMatch RARE = new HistoryQuery.MetadataMatch("order", "rare");

    private static final StoreOptions OPTIONS = new StoreOptions(false, 4);
    private static final int BATCH = 8_192;

    private final Path file;
    private final List<UUID> accounts = new ArrayList<>();
    private JdbcLedgerStore store;
    private long transactions;

    private final String prefix;

    private PostingsLedger(Path file, String prefix) {
        this.file = file;
        this.prefix = prefix;
        this.store = open(file);
    }

    /**
     * A second store on the same ledger file (as a second process would open it), with the same accounts; its
     * transaction ids differ from this one's.
     */
    PostingsLedger secondStore() {
        PostingsLedger other = new PostingsLedger(file, prefix + "b");
        other.accounts.addAll(accounts);
        return other;
    }

    /** A new ledger in {@code dir} with the treasury and {@code accounts} funded accounts. */
    static PostingsLedger create(Path dir, int accounts) {
        PostingsLedger ledger = new PostingsLedger(dir.resolve("tally.db"), "t");
        StoreWrites.openTreasury(ledger.store);
        List<Command> opens = new ArrayList<>();
        List<Command> mints = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            UUID id = UUID.randomUUID();
            ledger.accounts.add(id);
            opens.add(new Command.OpenAccount(id, "user" + i, "user" + i + "@example.com", Role.USER));
            mints.add(new Command.Mint(
                    ledger.nextTransactionId(),
                    id,
                    Money.ofMinor(Currency.EUR, 1_000_000_000_000L),
                    EntryContext.NONE));
        }
        ledger.apply(opens);
        ledger.apply(mints);
        return ledger;
    }

    private static JdbcLedgerStore open(Path file) {
        return (JdbcLedgerStore) Stores.openSqlite(file, OPTIONS);
    }

    Path file() {
        return file;
    }

    JdbcLedgerStore store() {
        return store;
    }

    PostingsFile side() {
        return store.postingsFile().orElseThrow();
    }

    /** The funded accounts, then the treasury (which takes the transfers' tax, and holds no history of its own). */
    List<UUID> accounts() {
        List<UUID> all = new ArrayList<>(accounts);
        all.add(Rules.defaults().treasuryId());
        return all;
    }

    /** The funded accounts {@code from} (inclusive) to {@code to} (exclusive). */
    List<UUID> accounts(int from, int to) {
        return List.copyOf(accounts.subList(from, to));
    }

    /**
     * Stops the thread that fills the index (after it indexed what was committed), so that the index moves only
     * when the test calls {@link PostingsFile#indexNext} or {@link PostingsFile#reset}.
     */
    void stopIndexing() {
        store.postingsIndexer().orElseThrow().close();
    }

    /** Closes the store and opens it again on the same file (the index is checked and caught up on opening). */
    void reopen() {
        store.close();
        store = open(file);
    }

    /** Closes the store; {@link #reopenAfterwards} opens it again. */
    void closeStore() {
        store.close();
    }

    void reopenAfterwards() {
        store = open(file);
    }

    /**
     * Writes {@code n} entries between random accounts of {@code among} (transfers, and a burn in twenty), one in
     * {@code rareEvery} carrying the {@link #RARE} metadata and a few others a common value.
     */
    void transfers(int n, Random random, List<UUID> among, int rareEvery) {
        List<Command> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int from = random.nextInt(among.size());
            int to = (from + 1 + random.nextInt(among.size() - 1)) % among.size();
            Metadata metadata = random.nextInt(rareEvery) == 0
                    ? Metadata.of(Map.of(RARE.key(), RARE.value()))
                    : random.nextInt(4) == 0 ? Metadata.of(Map.of(RARE.key(), "common")) : Metadata.EMPTY;
            // Now and then a burn: an entry with a sender and no receiver (the mints have a receiver only).
            batch.add(
                    random.nextInt(20) == 0
                            ? new Command.Burn(
                                    nextTransactionId(),
                                    among.get(from),
                                    Money.ofMinor(Currency.EUR, 100),
                                    new EntryContext(Optional.empty(), Optional.empty(), Optional.empty(), metadata))
                            : transfer(among.get(from), among.get(to), metadata));
            if (batch.size() == BATCH) {
                apply(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            apply(batch);
        }
    }

    /** {@link #transfers(int, Random, List, int)} among every funded account. */
    void transfers(int n, Random random, int rareEvery) {
        transfers(n, random, accounts, rareEvery);
    }

    Command transfer(UUID from, UUID to, Metadata metadata) {
        return new Command.Payment(
                nextTransactionId(),
                EntryType.TRANSFER,
                from,
                to,
                Money.ofMinor(Currency.EUR, 100),
                new EntryContext(Optional.empty(), Optional.empty(), Optional.empty(), metadata));
    }

    void apply(List<? extends Command> commands) {
        for (Outcome o : StoreWrites.apply(store, commands)) {
            assertThat(o).isInstanceOfAny(Outcome.Written.class, Outcome.AccountChanged.class);
        }
    }

    private String nextTransactionId() {
        return prefix + ++transactions;
    }

    /** The oracle's input: every entry of the ledger, read by a plain scan, by increasing seq. */
    List<LedgerEntry> all() {
        return allAfter(0);
    }

    /** The entries after {@code seq}, by increasing seq. */
    List<LedgerEntry> allAfter(long seq) {
        List<LedgerEntry> found = new ArrayList<>();
        store.query(
                "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE seq > ? ORDER BY seq",
                ps -> ps.setLong(1, seq),
                rs -> found.add(Rows.readEntry(Dialect.SQLITE, rs)));
        return found;
    }

    /** The last entry's seq, by the ledger's primary key. */
    long lastSeq() {
        long[] last = {0};
        store.query("SELECT max(seq) FROM ledger_entries", ps -> {}, rs -> last[0] = rs.getLong(1));
        return last[0];
    }

    /** The oracle: the account's entries on that side (and with that metadata), newest first. */
    static List<LedgerEntry> expected(
            List<LedgerEntry> all, UUID account, Direction direction, Optional<HistoryQuery.MetadataMatch> metadata) {
        List<LedgerEntry> found = new ArrayList<>();
        for (LedgerEntry e : all.reversed()) {
            boolean sent = e.senderId().equals(Optional.of(account));
            boolean received = e.receiverId().equals(Optional.of(account));
            boolean side = switch (direction) {
                case SENT -> sent;
                case RECEIVED -> received;
                case ALL -> sent || received;
            };
            boolean matches = metadata.isEmpty()
                    || metadata.get()
                            .value()
                            .equals(e.metadata().values().get(metadata.get().key()));
            if (side && matches) {
                found.add(e);
            }
        }
        return found;
    }

    /** The oracle of accountEntries: the account's entries with {@code after < seq <= to}, oldest first. */
    static List<LedgerEntry> expectedRange(List<LedgerEntry> all, UUID account, long after, long to) {
        return expected(all, account, Direction.ALL, Optional.empty()).reversed().stream()
                .filter(e -> e.seq() > after && e.seq() <= to)
                .toList();
    }

    /**
     * Walks the account's history page by page, each page's cursor after the previous page's last entry, and
     * checks every page is exactly the oracle's slice; the walk ends with a short (or empty) page. Returns how many
     * pages it read.
     */
    int assertHistoryExact(
            List<LedgerEntry> all,
            UUID account,
            Direction direction,
            int pageSize,
            Optional<HistoryQuery.MetadataMatch> metadata) {
        List<LedgerEntry> expected = expected(all, account, direction, metadata);
        Optional<HistoryQuery.Cursor> cursor = Optional.empty();
        int from = 0;
        int pages = 0;
        while (true) {
            List<LedgerEntry> page = store.history(new HistoryQuery(account, direction, cursor, pageSize, metadata));
            pages++;
            List<LedgerEntry> want = expected.subList(from, Math.min(expected.size(), from + pageSize));
            String what = "%s %s, pages of %d, metadata %s, page %d (from %d), watermark %d"
                    .formatted(
                            account, direction, pageSize, metadata.isPresent(), pages, from, side().indexedThrough());
            assertThat(page.stream().map(LedgerEntry::seq).toList())
                    .as(what)
                    .isEqualTo(want.stream().map(LedgerEntry::seq).toList());
            assertThat(page).as(what).isEqualTo(want);
            if (page.size() < pageSize) {
                return pages;
            }
            cursor = Optional.of(HistoryQuery.Cursor.after(page.getLast()));
            from += pageSize;
        }
    }

    /**
     * One page of the account's history before an arbitrary seq (not necessarily one of its entries) is exact;
     * returns it. {@code all} must hold every entry below {@code before}, and may hold more.
     */
    List<LedgerEntry> assertPageBeforeExact(
            List<LedgerEntry> all, UUID account, Direction direction, long before, int pageSize) {
        List<LedgerEntry> want = expected(all, account, direction, Optional.empty()).stream()
                .filter(e -> e.seq() < before)
                .limit(pageSize)
                .toList();
        List<LedgerEntry> page = store.history(new HistoryQuery(
                account, direction, Optional.of(new HistoryQuery.Cursor(0, before)), pageSize, Optional.empty()));
        assertThat(page.stream().map(LedgerEntry::seq).toList())
                .as("%s %s before %d, watermark %d", account, direction, before, side().indexedThrough())
                .isEqualTo(want.stream().map(LedgerEntry::seq).toList());
        assertThat(page).isEqualTo(want);
        return page;
    }

    /** accountEntries over (after, to] equals the oracle's entries of the account in that range. */
    void assertRangeExact(List<LedgerEntry> all, UUID account, long after, long to) {
        List<LedgerEntry> found = store.accountEntries(account, after, to);
        List<LedgerEntry> want = expectedRange(all, account, after, to);
        String what = "%s in (%d, %d], watermark %d".formatted(account, after, to, side().indexedThrough());
        assertThat(found.stream().map(LedgerEntry::seq).toList())
                .as(what)
                .isEqualTo(want.stream().map(LedgerEntry::seq).toList());
        assertThat(found).as(what).isEqualTo(want);
    }

    /** {@link #assertHistoryExact} for every account, every direction, with and without the rare filter. */
    void assertEveryHistoryExact(int... pageSizes) {
        List<LedgerEntry> all = all();
        for (UUID account : accounts()) {
            for (Direction direction : Direction.values()) {
                for (int size : pageSizes) {
                    assertHistoryExact(all, account, direction, size, Optional.empty());
                }
                assertHistoryExact(all, account, direction, pageSizes[0], Optional.of(RARE));
            }
        }
    }

    @Override
    public void close() {
        store.close();
    }
}

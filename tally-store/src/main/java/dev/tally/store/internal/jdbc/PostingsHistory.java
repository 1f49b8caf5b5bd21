package dev.tally.store.internal.jdbc;

import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.HistoryQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An account's entries on SQLite, read through the history index ({@link PostingsFile}) for the entries it
 * covers and by a scan of the ledger's un-indexed tail (by seq, its primary key) for the rest.
 *
 * <p>Exact whatever the index's lag: the watermark is read first, and the ledger then holds at least every
 * entry up to it (the index covers only committed entries), so the indexed part and the tail part meet without
 * a gap or an overlap. Entries are ordered by seq, newest first; created_at never decreases along the chain
 * (the sequencer's clock never steps back, across restarts too), so this is also newest by time.
 */
final class PostingsHistory {
    /** Fewer seqs than this are never asked of the index in one go (a metadata filter may drop most). */
    private static final int MIN_PAGE = 64;

    private final PostingsFile file;
    private final JdbcLedgerStore store;

    PostingsHistory(PostingsFile file, JdbcLedgerStore store) {
        this.file = file;
        this.store = store;
    }

    /**
     * {@link dev.tally.core.store.LedgerStore#history}: newest first, strictly before the cursor's seq. With the
     * side file damaged, a scan of the whole ledger: exact, slower, until the store reopens and rebuilds it.
     */
    List<LedgerEntry> history(HistoryQuery q) {
        try {
            return throughIndex(q);
        } catch (PostingsFile.Damaged e) {
            return tail(q, 0, q.before().map(HistoryQuery.Cursor::seq).orElse(Long.MAX_VALUE));
        }
    }

    private List<LedgerEntry> throughIndex(HistoryQuery q) {
        long indexed = file.indexedThrough();
        long before = q.before().map(HistoryQuery.Cursor::seq).orElse(Long.MAX_VALUE);
        List<LedgerEntry> found = new ArrayList<>(tail(q, indexed, before));
        long below = Math.min(before, indexed + 1);
        long first = file.firstBucket();
        long bucket = PostingsFile.bucket(below - 1);
        while (found.size() < q.limit() && first >= 0 && bucket >= first && below > 1) {
            int want = Math.max(q.limit() - found.size(), MIN_PAGE);
            List<Long> seqs = newest(q.accountId(), directions(q.direction()), bucket, below, want);
            if (seqs.isEmpty()) {
                bucket--;
                continue;
            }
            for (LedgerEntry e : entries(seqs, q.metadata().map(HistoryQuery.MetadataMatch::pattern), true)) {
                if (found.size() < q.limit() && names(e, q.accountId(), q.direction())) {
                    found.add(e);
                }
            }
            below = seqs.get(seqs.size() - 1);
            if (seqs.size() < want) {
                bucket--;
            }
        }
        return found;
    }

    /** {@link dev.tally.core.store.LedgerStore#accountEntries}: by increasing seq, {@code after < seq <= to}. */
    List<LedgerEntry> accountEntries(UUID account, long after, long to) {
        try {
            return throughIndex(account, after, to);
        } catch (PostingsFile.Damaged e) {
            return tailAscending(account, after, to);
        }
    }

    private List<LedgerEntry> throughIndex(UUID account, long after, long to) {
        long indexed = file.indexedThrough();
        List<LedgerEntry> found = new ArrayList<>();
        long last = Math.min(to, indexed);
        long first = file.firstBucket();
        if (last > after && first >= 0) {
            TreeSet<Long> seqs = new TreeSet<>();
            // Seqs start at 1: a lower bound below that (any negative one) starts at the first bucket, not at the
            // huge bucket an unsigned shift makes of a negative seq.
            long from = PostingsFile.bucket(Math.max(after, 0) + 1);
            for (long b = Math.max(first, from); b <= PostingsFile.bucket(last); b++) {
                for (int direction : directions(HistoryQuery.Direction.ALL)) {
                    seqs.addAll(file.seqs(account, direction, b, after, last + 1, Integer.MAX_VALUE, false));
                }
            }
            for (LedgerEntry e : entries(new ArrayList<>(seqs), Optional.empty(), false)) {
                if (names(e, account, HistoryQuery.Direction.ALL)) {
                    found.add(e);
                }
            }
        }
        found.addAll(tailAscending(account, Math.max(after, indexed), to));
        return found;
    }

    /**
     * Whether the entry names the account on the side asked for. Always true for postings this store wrote; the
     * check keeps a posting written into the side file by anyone else from showing another account's entry.
     */
    private static boolean names(LedgerEntry e, UUID account, HistoryQuery.Direction direction) {
        boolean sent = e.senderId().filter(account::equals).isPresent();
        boolean received = e.receiverId().filter(account::equals).isPresent();
        return switch (direction) {
            case SENT -> sent;
            case RECEIVED -> received;
            case ALL -> sent || received;
        };
    }

    /** The newest {@code want} seqs below {@code below} in one bucket, across the directions asked for. */
    private List<Long> newest(UUID account, int[] directions, long bucket, long below, int want) {
        TreeSet<Long> union = new TreeSet<>(Collections.reverseOrder());
        for (int direction : directions) {
            union.addAll(file.seqs(account, direction, bucket, 0, below, want, true));
        }
        // Each direction gave its newest `want`, so the union's newest `want` are exact; the rest come next turn.
        return union.stream().limit(want).toList();
    }

    private static int[] directions(HistoryQuery.Direction direction) {
        return switch (direction) {
            case SENT -> new int[] {Posting.SENT};
            case RECEIVED -> new int[] {Posting.RECEIVED};
            case ALL -> new int[] {Posting.SENT, Posting.RECEIVED};
        };
    }

    /** The entries after the watermark, newest first, that the query keeps: a scan of the ledger by seq. */
    private List<LedgerEntry> tail(HistoryQuery q, long indexed, long before) {
        List<LedgerEntry> found = new ArrayList<>();
        store.query(
                tailSql(q.direction(), q.metadata().isPresent()),
                ps -> {
                    int i = 1;
                    ps.setLong(i++, indexed);
                    ps.setLong(i++, before);
                    Dialect.SQLITE.setUuid(ps, i++, q.accountId());
                    if (q.direction() == HistoryQuery.Direction.ALL) {
                        Dialect.SQLITE.setUuid(ps, i++, q.accountId());
                    }
                    if (q.metadata().isPresent()) {
                        ps.setString(i++, q.metadata().get().pattern());
                    }
                    ps.setInt(i, q.limit());
                },
                rs -> found.add(Rows.readEntry(Dialect.SQLITE, rs)));
        return found;
    }

    /** The scan of the un-indexed tail, newest first: a range of the ledger's primary key (its plan is tested). */
    static String tailSql(HistoryQuery.Direction direction, boolean metadata) {
        String side = switch (direction) {
            case SENT -> "sender_id = ?";
            case RECEIVED -> "receiver_id = ?";
            case ALL -> "(sender_id = ? OR receiver_id = ?)";
        };
        return "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE seq > ? AND seq < ? AND " + side
                + (metadata ? JdbcLedgerStore.metadataFilter(Dialect.SQLITE) : "")
                + " ORDER BY seq DESC LIMIT ?";
    }

    /** The entries with {@code n} given seqs: lookups of the ledger's primary key (its plan is tested). */
    static String entriesSql(int n, boolean metadata, boolean newestFirst) {
        return "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE seq IN ("
                + String.join(", ", Collections.nCopies(n, "?")) + ")"
                + (metadata ? JdbcLedgerStore.metadataFilter(Dialect.SQLITE) : "")
                + " ORDER BY seq " + (newestFirst ? "DESC" : "ASC");
    }

    /** An account's entries after the watermark with {@code after < seq <= to}, by increasing seq. */
    private List<LedgerEntry> tailAscending(UUID account, long after, long to) {
        List<LedgerEntry> found = new ArrayList<>();
        if (to <= after) {
            return found;
        }
        store.query(
                "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE seq > ? AND seq <= ?"
                        + " AND (sender_id = ? OR receiver_id = ?) ORDER BY seq",
                ps -> {
                    ps.setLong(1, after);
                    ps.setLong(2, to);
                    Dialect.SQLITE.setUuid(ps, 3, account);
                    Dialect.SQLITE.setUuid(ps, 4, account);
                },
                rs -> found.add(Rows.readEntry(Dialect.SQLITE, rs)));
        return found;
    }

    /** The entries with these seqs, ordered by seq, whose metadata holds the pattern (when one is given). */
    private List<LedgerEntry> entries(List<Long> seqs, Optional<String> pattern, boolean newestFirst) {
        List<LedgerEntry> found = new ArrayList<>(seqs.size());
        boolean filtered = pattern.isPresent();
        for (int from = 0; from < seqs.size(); from += JdbcLedgerStore.IN_CHUNK) {
            List<Long> chunk = seqs.subList(from, Math.min(seqs.size(), from + JdbcLedgerStore.IN_CHUNK));
            store.query(
                    entriesSql(chunk.size(), filtered, newestFirst),
                    ps -> {
                        int i = 1;
                        for (long seq : chunk) {
                            ps.setLong(i++, seq);
                        }
                        if (pattern.isPresent()) {
                            ps.setString(i, pattern.get());
                        }
                    },
                    rs -> found.add(Rows.readEntry(Dialect.SQLITE, rs)));
        }
        return found;
    }
}

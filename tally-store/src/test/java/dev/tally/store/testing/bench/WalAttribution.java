package dev.tally.store.testing.bench;

import dev.tally.core.error.StoreException;
import dev.tally.core.store.LedgerStore;
import dev.tally.store.internal.jdbc.Dialect;
import dev.tally.store.internal.jdbc.JdbcLedgerStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a SQLite store's written bytes come from, read from its write-ahead log: which table or index each
 * logged page belongs to, how many pages each commit logs, and how many distinct pages a checkpoint has to
 * copy back. It reads the log file beside the database while the store runs (only the frames of the log's
 * current generation, the ones whose salts match its header), then names each page with SQLite's
 * {@code dbstat} table; a page the file did not have yet when {@code dbstat} ran is counted as "(new page)".
 *
 * <p>The format is SQLite's: a 32-byte header, then frames of a 24-byte header (page number, database size
 * after the commit or 0, the two salts, a checksum) and one page each; a frame with a size ends a commit.
 */
public final class WalAttribution {
    private static final int WAL_HEADER = 32;
    private static final int FRAME_HEADER = 24;
    /** The commits of each log generation seen (by its salts), as many as the fullest sample of it held. */
    private final Map<Long, List<List<Integer>>> generations = new HashMap<>();

    private int pageSize;

    /** Reads the current generation of {@code store}'s log; call it several times to collect more commits. */
    public void sample(LedgerStore store) {
        Path wal = Path.of(databaseFile(store) + "-wal");
        try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(WAL_HEADER);
            if (ch.read(header, 0) < WAL_HEADER) {
                return;
            }
            pageSize = header.getInt(8);
            int salt1 = header.getInt(16);
            int salt2 = header.getInt(20);
            List<List<Integer>> found = new ArrayList<>();
            List<Integer> open = new ArrayList<>();
            ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER);
            for (long at = WAL_HEADER; ; at += FRAME_HEADER + pageSize) {
                frame.clear();
                if (ch.read(frame, at) < FRAME_HEADER || frame.getInt(8) != salt1 || frame.getInt(12) != salt2) {
                    break;
                }
                open.add(frame.getInt(0));
                if (frame.getInt(4) != 0) {
                    found.add(open);
                    open = new ArrayList<>();
                }
            }
            long generation = ((long) salt1 << 32) | (salt2 & 0xFFFF_FFFFL);
            synchronized (generations) {
                List<List<Integer>> seen = generations.get(generation);
                if (seen == null || seen.size() < found.size()) {
                    generations.put(generation, found);
                }
            }
        } catch (NoSuchFileException e) {
            // no log right now (it was just checkpointed and removed): nothing to sample
        } catch (IOException e) {
            throw new StoreException("bench: cannot read the write-ahead log " + wal + ": " + e.getMessage(), e);
        }
    }

    /** The sampled commits' pages by table or index: the mean number each commit logs, largest first. */
    public Report report(LedgerStore store) {
        Map<Integer, String> owner = pageOwners(store);
        Map<String, Long> pages = new HashMap<>();
        List<List<Integer>> commits = new ArrayList<>();
        long distinct = 0;
        synchronized (generations) {
            for (List<List<Integer>> generation : generations.values()) {
                Set<Integer> pagesOfGeneration = new HashSet<>();
                generation.forEach(pagesOfGeneration::addAll);
                distinct += pagesOfGeneration.size();
                commits.addAll(generation);
            }
        }
        long frames = 0;
        for (List<Integer> commit : commits) {
            frames += commit.size();
            for (int page : commit) {
                pages.merge(owner.getOrDefault(page, "(new page)"), 1L, Long::sum);
            }
        }
        Map<String, Double> perCommit = new TreeMap<>();
        int n = Math.max(1, commits.size());
        pages.forEach((k, v) -> perCommit.put(k, v / (double) n));
        return new Report(commits.size(), pageSize, frames / (double) n, distinct / (double) n, perCommit);
    }

    /**
     * What the sample found.
     *
     * @param commits how many commits were sampled
     * @param pageSize the database's page size
     * @param framesPerCommit pages logged per commit (each a frame of {@code pageSize} + 24 bytes)
     * @param checkpointPagesPerCommit distinct pages per commit within a log generation: what checkpoints copy
     *     into the database file at the least (a page logged again after a checkpoint copied it is copied again)
     * @param pagesPerCommitByObject the mean pages per commit of each table or index
     */
    public record Report(
            int commits,
            int pageSize,
            double framesPerCommit,
            double checkpointPagesPerCommit,
            Map<String, Double> pagesPerCommitByObject) {}

    private static Map<Integer, String> pageOwners(LedgerStore store) {
        Map<Integer, String> owner = new HashMap<>();
        try (Connection c = jdbc(store).dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT name, pageno FROM dbstat")) {
            while (rs.next()) {
                owner.put(rs.getInt(2), rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StoreException("bench: dbstat failed: " + e.getMessage(), e);
        }
        return owner;
    }

    private static String databaseFile(LedgerStore store) {
        try (Connection c = jdbc(store).dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA database_list")) {
            while (rs.next()) {
                if ("main".equals(rs.getString(2))) {
                    return rs.getString(3);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("bench: cannot name the database file: " + e.getMessage(), e);
        }
        throw new StoreException("bench: the store has no main database file");
    }

    private static JdbcLedgerStore jdbc(LedgerStore store) {
        if (store instanceof JdbcLedgerStore jdbc && jdbc.dialect() == Dialect.SQLITE) {
            return jdbc;
        }
        throw new IllegalArgumentException("not a SQLite store: " + store.describe());
    }
}

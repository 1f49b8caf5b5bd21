package dev.tally.store.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The side index is derived data: whatever became of it while the store was closed (gone, damaged, rolled back,
 * newer than the ledger beside it), the store opens and every history read equals a filter of the ledger's entries.
 */
class PostingsRecoveryTest {
    private static final String[] SUFFIXES = {"", "-wal", "-shm"};

    @TempDir
    Path dir;

    @Test
    void theSideFileIsTheLedgerFileNameWithHistoryAppendedBesideIt() {
        try (PostingsLedger ledger = PostingsLedger.create(dir, 2)) {
            assertThat(ledger.side().path()).isEqualTo(dir.resolve("tally.db-history"));
            assertThat(PostingsFile.pathFor(Path.of("/data/books.sqlite")))
                    .isEqualTo(Path.of("/data/books.sqlite-history"));
            assertThat(dir.resolve("tally.db-history")).isRegularFile();
        }
    }

    @Test
    void aDeletedSideFileIsRebuiltFromTheLedger() throws IOException {
        try (PostingsLedger ledger = written()) {
            ledger.closeStore();
            for (String suffix : SUFFIXES) {
                Files.deleteIfExists(side(suffix));
            }

            ledger.reopenAfterwards();

            assertThat(side("")).isRegularFile();
            assertCaughtUpAndExact(ledger);
        }
    }

    @Test
    @Timeout(30) // the pool's connection timeout is 60 s: a file that is not a database must be refused before it
    void aSideFileOfGarbageIsRebuiltFromTheLedger() throws IOException {
        try (PostingsLedger ledger = written()) {
            ledger.closeStore();
            deleteJournal(side(""));
            byte[] garbage = new byte[16_384];
            new Random(3).nextBytes(garbage);
            Files.write(side(""), garbage);

            ledger.reopenAfterwards();

            assertCaughtUpAndExact(ledger);
        }
    }

    @Test
    @Timeout(30) // the pool's connection timeout is 60 s: a file cut short must be refused before it, not after
    void aSideFileCutShortIsRebuiltFromTheLedger() throws IOException {
        try (PostingsLedger ledger = written()) {
            ledger.closeStore();
            deleteJournal(side(""));
            // A valid header and schema page, then nothing: it opens, but its tables' pages are gone.
            byte[] bytes = Files.readAllBytes(side(""));
            assertThat(bytes.length).isGreaterThan(3 * 4096);
            Files.write(side(""), Arrays.copyOf(bytes, 4096));

            ledger.reopenAfterwards();

            assertCaughtUpAndExact(ledger);
        }
    }

    @Test
    @Timeout(30) // the pool's connection timeout is 60 s: a damaged file must be refused before it, not after
    void aSideFileWithItsSchemaIntactButItsTablesPagesDamagedIsRebuiltFromTheLedger() throws IOException {
        try (PostingsLedger ledger = written()) {
            ledger.closeStore();
            deleteJournal(side(""));
            byte[] bytes = Files.readAllBytes(side(""));
            assertThat(bytes.length).isGreaterThan(3 * 4096);
            byte[] garbage = new byte[bytes.length - 4096];
            new Random(4).nextBytes(garbage);
            System.arraycopy(garbage, 0, bytes, 4096, garbage.length);
            Files.write(side(""), bytes);

            ledger.reopenAfterwards();

            assertCaughtUpAndExact(ledger);
        }
    }

    @Test
    void aSideFileDamagedBeyondItsWatermarkIsReadAroundThenRebuiltAtTheNextOpen() throws IOException {
        try (PostingsLedger ledger = written()) {
            ledger.closeStore();
            deleteJournal(side(""));
            // The header, the schema and the watermark's pages stay intact, so the file opens and matches the
            // ledger; the postings' leaves are garbage, which only a read finds.
            byte[] bytes = Files.readAllBytes(side(""));
            assertThat(bytes.length).isGreaterThan(6 * 4096);
            byte[] garbage = new byte[bytes.length - 3 * 4096];
            new Random(5).nextBytes(garbage);
            System.arraycopy(garbage, 0, bytes, 3 * 4096, garbage.length);
            Files.write(side(""), bytes);
            ledger.reopenAfterwards();

            ledger.assertEveryHistoryExact(50, 7);
            assertThat(side("-damaged"))
                    .as("the marker that asks the next open to rebuild")
                    .isRegularFile();

            ledger.reopen();
            assertThat(side("-damaged")).doesNotExist();
            assertCaughtUpAndExact(ledger);
            assertThat(ledger.side().seqs(ledger.accounts().get(0), Posting.SENT, 0, 0, Long.MAX_VALUE, 1, true))
                    .as("the rebuilt file answers from its postings")
                    .hasSize(1);
        }
    }

    @Test
    void aLedgerRestoredFromAnOlderCopyBesideANewerSideFileIsIndexedAgain() throws IOException {
        try (PostingsLedger ledger = written()) {
            ledger.closeStore();
            Path backup = Files.createDirectory(dir.resolve("backup"));
            copyLedger(dir, backup);
            ledger.reopenAfterwards();
            // Entries the restore will drop: only between the first two accounts.
            ledger.transfers(300, new Random(5), ledger.accounts(0, 2), 25);
            ledger.closeStore();
            long newerWatermark = watermark(side(""));

            restoreLedger(backup);
            ledger.reopenAfterwards();
            // The same seqs again, now between the other accounts: a stale index would give them to the first two.
            ledger.transfers(500, new Random(6), ledger.accounts(2, 5), 25);

            assertThat(PostingsHistoryTest.lastSeq(ledger)).isGreaterThan(newerWatermark);
            ledger.stopIndexing();
            assertCaughtUpAndExact(ledger);
            ledger.reopen();
            assertCaughtUpAndExact(ledger);
        }
    }

    @Test
    void aSideFileWhoseLastEntryHasAnotherHashInTheLedgerIsIndexedAgain() throws IOException {
        try (PostingsLedger ledger = written()) {
            ledger.closeStore();
            Path backup = Files.createDirectory(dir.resolve("backup"));
            copyLedger(dir, backup);
            ledger.reopenAfterwards();
            ledger.transfers(300, new Random(5), ledger.accounts(0, 2), 25);
            ledger.closeStore();
            Path newerSide = Files.createDirectory(dir.resolve("newer-side"));
            for (String suffix : SUFFIXES) {
                if (Files.exists(side(suffix))) {
                    Files.move(side(suffix), newerSide.resolve("tally.db-history" + suffix));
                }
            }
            long newerWatermark = watermark(newerSide.resolve("tally.db-history"));

            // The older ledger grows past the newer index's last entry with other entries (another index beside it).
            restoreLedger(backup);
            ledger.reopenAfterwards();
            ledger.transfers(500, new Random(6), ledger.accounts(2, 5), 25);
            assertThat(PostingsHistoryTest.lastSeq(ledger)).isGreaterThan(newerWatermark);
            ledger.closeStore();
            for (String suffix : SUFFIXES) {
                Files.deleteIfExists(side(suffix));
                Path saved = newerSide.resolve("tally.db-history" + suffix);
                if (Files.exists(saved)) {
                    Files.move(saved, side(suffix));
                }
            }

            ledger.reopenAfterwards();

            assertCaughtUpAndExact(ledger);
        }
    }

    @Test
    void aSideFileRolledBackToAnEarlierBatchCatchesUp() throws SQLException {
        try (PostingsLedger ledger = written()) {
            long last = PostingsHistoryTest.lastSeq(ledger);
            long back = last / 3;
            byte[] hash = hashOf(ledger, back);
            ledger.closeStore();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + side(""))) {
                sql(c, "DELETE FROM postings WHERE seq > ?", back);
                sql(c, "UPDATE indexed SET seq = ?, hash = ?", back, hash);
            }

            ledger.reopenAfterwards();

            assertCaughtUpAndExact(ledger);
        }
    }

    @Test
    void aWatermarkSetBackBelowPostingsItAlreadyHoldsCatchesUpWithoutDuplicates() throws SQLException {
        try (PostingsLedger ledger = written()) {
            long last = PostingsHistoryTest.lastSeq(ledger);
            long back = last / 3;
            byte[] hash = hashOf(ledger, back);
            ledger.closeStore();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + side(""))) {
                sql(c, "UPDATE indexed SET seq = ?, hash = ?", back, hash);
            }

            ledger.reopenAfterwards();

            assertCaughtUpAndExact(ledger);
            try (Connection c = ledger.side().dataSource().getConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM postings")) {
                assertThat(rs.getLong(1))
                        .as("one posting per side of each entry")
                        .isEqualTo(postings(ledger));
            }
        }
    }

    /** A ledger of 5 accounts and 400 transfers, the indexer running. */
    private PostingsLedger written() {
        PostingsLedger ledger = PostingsLedger.create(dir, 5);
        ledger.transfers(400, new Random(1), 25);
        return ledger;
    }

    /** After opening, the index covers the whole ledger, and every history read is exact. */
    private static void assertCaughtUpAndExact(PostingsLedger ledger) {
        assertThat(ledger.side().indexedThrough()).isEqualTo(PostingsHistoryTest.lastSeq(ledger));
        ledger.assertEveryHistoryExact(50, 7);
    }

    private static long postings(PostingsLedger ledger) {
        return ledger.all().stream()
                .mapToLong(e ->
                        (e.senderId().isPresent() ? 1 : 0) + (e.receiverId().isPresent() ? 1 : 0))
                .sum();
    }

    private static byte[] hashOf(PostingsLedger ledger, long seq) {
        return ledger.store().findEntryBySeq(seq).orElseThrow().currentHash().bytes();
    }

    /** The watermark of a side file, read with the store closed. */
    private static long watermark(Path sideFile) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sideFile);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT seq FROM indexed")) {
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path side(String suffix) {
        return dir.resolve("tally.db-history" + suffix);
    }

    private static void deleteJournal(Path file) throws IOException {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-shm"));
    }

    /** Copies the (closed) ledger file and its WAL, not the side file. */
    private static void copyLedger(Path from, Path to) throws IOException {
        for (String suffix : new String[] {"", "-wal"}) {
            Path file = from.resolve("tally.db" + suffix);
            if (Files.exists(file)) {
                Files.copy(file, to.resolve("tally.db" + suffix));
            }
        }
    }

    /** Puts the older copy of the ledger back, beside whatever side file is there now. */
    private void restoreLedger(Path backup) throws IOException {
        for (String suffix : SUFFIXES) {
            Files.deleteIfExists(dir.resolve("tally.db" + suffix));
        }
        for (String suffix : new String[] {"", "-wal"}) {
            Path file = backup.resolve("tally.db" + suffix);
            if (Files.exists(file)) {
                Files.copy(file, dir.resolve("tally.db" + suffix), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void sql(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }
}

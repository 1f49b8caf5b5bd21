package dev.tally.store.internal.jdbc;

import dev.tally.core.audit.ChainVerifier;
import dev.tally.core.audit.RawEntry;
import dev.tally.core.ledger.EntryField;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.sqlite.core.Codes;
import org.sqlite.core.CoreStatement;

/**
 * The fast scan on <b>SQLite</b>: one statement returns per row five integers, a bit mask of which columns
 * are NULL and which hashes are 32 bytes, and one blob that joins every non-NULL text column and both hashes
 * with NUL separators; the scanner splits it and accepts it only if there are exactly as many separators as
 * the mask says before the two hashes, so a NUL inside a text cannot shift a field into its neighbour
 * unseen. It steps the statement through sqlite-jdbc's own statement API, under JDBC's per-column wrappers
 * (each SQLite column read is a JNI call). The statement is built from {@link EntryField}.
 */
final class SqliteEntryScanner implements EntryScanner {
    /** The columns joined into the blob, in canonical order: every text and account id. */
    private static final List<EntryField> BLOB_FIELDS = EntryField.all().stream()
            .filter(f -> f.kind() == EntryField.Kind.TEXT || f.kind() == EntryField.Kind.UUID)
            .toList();
    /** The columns that may be NULL, in canonical order: each has a bit of the mask, from bit 2 up. */
    private static final List<EntryField> NULLABLE_FIELDS =
            EntryField.all().stream().filter(EntryField::optional).toList();
    /**
     * One row per entry: seq, the three amounts, created_at, the NULL/length mask (bits: previous hash is
     * 32 bytes, current hash is 32 bytes, then one per column that may be NULL, in canonical order: sender,
     * receiver, actor, ip, agent, reverses), and the texts and hashes in one blob. concat_ws() builds the
     * blob in one allocation (a chain of || costs one per operand) and leaves out NULL arguments: the mask
     * says which optional ones those are. A required column that is NULL all the same (an altered schema)
     * becomes the byte FF, which is not UTF-8, so the split refuses the row rather than count one field less.
     */
    private static final String SQLITE_SCAN = "SELECT " + EntryField.SEQ.wire() + ", " + EntryField.AMOUNT_GROSS.wire()
            + ", "
            + EntryField.TAX_WITHHELD.wire() + ", " + EntryField.AMOUNT_NET.wire() + ", " + EntryField.CREATED_AT.wire()
            + ", "
            + "(octet_length(" + EntryField.PREVIOUS_HASH.wire() + ") = 32) + 2 * (octet_length("
            + EntryField.CURRENT_HASH.wire() + ") = 32)"
            + NULLABLE_FIELDS.stream()
                    .map(f -> " + " + nullBit(f) + " * (" + f.wire() + " IS NULL)")
                    .collect(Collectors.joining())
            + ", concat_ws(x'00', "
            + BLOB_FIELDS.stream()
                    .map(f -> f.optional() ? f.wire() : "coalesce(" + f.wire() + ", x'ff')")
                    .collect(Collectors.joining(", "))
            + ", " + EntryField.PREVIOUS_HASH.wire() + ", " + EntryField.CURRENT_HASH.wire() + ") FROM ledger_entries ";

    private static final int SQLITE_TEXTS = BLOB_FIELDS.size();
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The mask bits of the columns that may be NULL. */
    private static final int NULLABLE = ((1 << NULLABLE_FIELDS.size()) - 1) << 2;
    /** Per text of the blob, its NULL bit in the mask (0: never NULL). */
    private static final int[] SQLITE_NULL_BIT =
            BLOB_FIELDS.stream().mapToInt(SqliteEntryScanner::nullBit).toArray();
    /** Per text of the blob, its text slot, or null for an account id. */
    private static final RawEntry.Text[] SQLITE_TEXT_ORDER = BLOB_FIELDS.stream()
            .map(f -> f.kind() == EntryField.Kind.TEXT ? RawEntry.Text.of(f) : null)
            .toArray(RawEntry.Text[]::new);
    /** Per text of the blob, its party, or null for a text. */
    private static final RawEntry.Party[] SQLITE_PARTY = BLOB_FIELDS.stream()
            .map(f -> f.kind() == EntryField.Kind.UUID ? RawEntry.Party.of(f) : null)
            .toArray(RawEntry.Party[]::new);

    private static int nullBit(EntryField f) {
        return f.optional() ? 4 << NULLABLE_FIELDS.indexOf(f) : 0;
    }

    @Override
    public Slice scan(Connection c, long lo, long hi, int limit, ChainVerifier verifier, LongConsumer rowsDone)
            throws SQLException {
        SqliteRows rows = new SqliteRows(c, verifier, rowsDone);
        // No parameters (see EntryScanner.range): sqlite-jdbc binds them only on its own execute, which the loop below
        // skips.
        try (PreparedStatement ps = c.prepareStatement(SQLITE_SCAN + EntryScanner.range(lo, hi, limit))) {
            CoreStatement core = ps.isWrapperFor(CoreStatement.class) ? ps.unwrap(CoreStatement.class) : null;
            if (core != null) {
                // sqlite-jdbc's own statement API: the JDBC result set wraps every column read in checks and a
                // lambda, which costs more than the read itself at a million rows a second. Same calls below it.
                core.pointer.safeRunConsume((db, stmt) -> {
                    int rc;
                    while ((rc = db.step(stmt)) == Codes.SQLITE_ROW) {
                        rows.accept(
                                db.column_long(stmt, 0),
                                db.column_long(stmt, 1),
                                db.column_long(stmt, 2),
                                db.column_long(stmt, 3),
                                db.column_long(stmt, 4),
                                db.column_int(stmt, 5),
                                db.column_blob(stmt, 6));
                    }
                    if (rc != Codes.SQLITE_DONE) {
                        db.throwex(rc);
                    }
                });
            } else {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.accept(
                                rs.getLong(1),
                                rs.getLong(2),
                                rs.getLong(3),
                                rs.getLong(4),
                                rs.getLong(5),
                                rs.getInt(6),
                                rs.getBytes(7));
                    }
                }
            }
        }
        return rows.done();
    }

    /** Turns the rows of {@link #SQLITE_SCAN} into raw entries for the verifier. */
    private static final class SqliteRows {
        private final Connection connection;
        private final ChainVerifier verifier;
        private final LongConsumer rowsDone;
        private final RawEntry raw = new RawEntry();
        private final int[] starts = new int[SQLITE_TEXTS];
        private final int[] lens = new int[SQLITE_TEXTS];
        private long pending;
        private long count;
        private long lastSeq;

        SqliteRows(Connection connection, ChainVerifier verifier, LongConsumer rowsDone) {
            this.connection = connection;
            this.verifier = verifier;
            this.rowsDone = rowsDone;
        }

        void accept(long seq, long gross, long tax, long net, long createdAt, int mask, byte[] blob)
                throws SQLException {
            raw.begin(seq, blob).amounts(gross, tax, net).createdAtMicros(createdAt);
            if (blob == null
                    || (mask & 3) != 3
                    || !splitSqlite(blob, SQLITE_TEXTS - Integer.bitCount(mask & NULLABLE), starts, lens)) {
                // Cannot take it apart: give the verifier its link fields, and the full check the rest.
                sideLink(connection, seq, raw);
            } else {
                fillSqlite(raw, blob, mask, starts, lens);
            }
            verifier.tryAccept(raw);
            count++;
            lastSeq = seq;
            if (++pending == PROGRESS_EVERY) {
                rowsDone.accept(pending);
                pending = 0;
            }
        }

        Slice done() {
            rowsDone.accept(pending);
            pending = 0;
            return new Slice(count, lastSeq);
        }
    }

    /**
     * Finds the {@code texts} texts of a scan blob, which ends with the two 32-byte hashes: each text ends at
     * a NUL, the last NUL right before the hashes, another between them. False when the blob does not split
     * exactly so (a NUL inside a text shifts the count), or when its bytes would not read back the same
     * through a Java String (not well-formed UTF-8), since the full reading decodes. Reads eight bytes at a
     * time: this runs a million times a second.
     */
    static boolean splitSqlite(byte[] b, int texts, int[] starts, int[] lens) {
        int end = b.length - 65;
        if (end < texts || b[b.length - 33] != 0) {
            return false;
        }
        int found = 0;
        int start = 0;
        long high = 0;
        int i = 0;
        for (; i + 8 <= end; i += 8) {
            long x = (long) WORD.get(b, i);
            high |= x;
            // Exact zero-byte test: the high bit of each byte of z is set iff that byte of x is 0.
            long z = ~(((x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | x | 0x7F7F7F7F7F7F7F7FL);
            while (z != 0) {
                if (found == texts) {
                    return false;
                }
                int at = i + (Long.numberOfTrailingZeros(z) >>> 3);
                starts[found] = start;
                lens[found++] = at - start;
                start = at + 1;
                z &= z - 1;
            }
        }
        for (; i < end; i++) {
            high |= b[i] & 0xff;
            if (b[i] == 0) {
                if (found == texts) {
                    return false;
                }
                starts[found] = start;
                lens[found++] = i - start;
                start = i + 1;
            }
        }
        if (found != texts || start != end) {
            return false;
        }
        // A byte >= 0x80 is not ASCII: then check that UTF-8 decoding gives the same bytes back.
        return (high & 0x8080808080808080L) == 0
                || Arrays.equals(
                        new String(b, 0, end, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8),
                        0,
                        end,
                        b,
                        0,
                        end);
    }

    /** Hands the split texts to the raw entry, the optional ones the mask says are NULL as absent. */
    private static void fillSqlite(RawEntry raw, byte[] b, int mask, int[] starts, int[] lens) {
        int t = 0;
        for (int f = 0; f < SQLITE_TEXTS; f++) {
            int nullBit = SQLITE_NULL_BIT[f];
            boolean isNull = (mask & nullBit) != 0;
            RawEntry.Text text = SQLITE_TEXT_ORDER[f];
            if (text == null) {
                RawEntry.Party party = SQLITE_PARTY[f];
                if (isNull) {
                    raw.noParty(party);
                } else {
                    raw.uuidText(party, starts[t], lens[t++]);
                }
            } else if (isNull) {
                raw.absent(text);
            } else {
                raw.text(text, starts[t], lens[t++]);
            }
        }
        raw.previousHash(b.length - 65, 32).currentHash(b.length - 32, 32);
    }

    private static void sideLink(Connection c, long seq, RawEntry raw) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + ChainScanner.LINK_COLUMNS + " FROM ledger_entries WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    raw.begin(seq, new byte[0]);
                } else {
                    // One array for the row, as the raw entry wants: the id's bytes, then the hash's.
                    byte[] id = ChainScanner.nonNull(rs.getBytes(2));
                    byte[] hash = rs.getBytes(3);
                    byte[] data = Arrays.copyOf(id, id.length + (hash == null ? 0 : hash.length));
                    raw.begin(seq, data);
                    if (rs.getString(2) != null) {
                        raw.text(RawEntry.Text.TRANSACTION_ID, 0, id.length);
                    }
                    if (hash != null) {
                        System.arraycopy(hash, 0, data, id.length, hash.length);
                        raw.currentHash(id.length, hash.length);
                    }
                    raw.createdAtMicros(rs.getLong(4));
                }
            }
        }
        raw.unreadable();
    }
}

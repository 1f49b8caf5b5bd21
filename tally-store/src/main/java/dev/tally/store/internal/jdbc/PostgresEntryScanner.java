package dev.tally.store.internal.jdbc;

import dev.tally.core.audit.ChainVerifier;
import dev.tally.core.audit.RawEntry;
import dev.tally.core.ledger.EntryField;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * The fast scan on <b>PostgreSQL</b>: {@code COPY (SELECT ...) TO STDOUT (FORMAT binary)}, length-prefixed
 * binary fields in {@link EntryField} order, no text parsing at all (each JDBC column read would be a
 * String). The fields go to the raw entry as slices of the driver's bytes.
 */
final class PostgresEntryScanner implements EntryScanner {
    private static final int COLUMNS = EntryField.count();
    private static final EntryField[] FIELDS = EntryField.values();
    /** Per column, its text slot, or null when the column is not a text. */
    private static final RawEntry.Text[] TEXTS = EntryField.all().stream()
            .map(f -> f.kind() == EntryField.Kind.TEXT ? RawEntry.Text.of(f) : null)
            .toArray(RawEntry.Text[]::new);

    private static final int SEQ = EntryField.SEQ.ordinal();
    private static final int GROSS = EntryField.AMOUNT_GROSS.ordinal();
    private static final int TAX = EntryField.TAX_WITHHELD.ordinal();
    private static final int NET = EntryField.AMOUNT_NET.ordinal();
    private static final int CREATED = EntryField.CREATED_AT.ordinal();

    @Override
    public Slice scan(Connection c, long lo, long hi, int limit, ChainVerifier verifier, LongConsumer rowsDone)
            throws SQLException {
        // COPY takes no parameters: the bounds go into the text (see EntryScanner.range).
        String sql = "COPY (SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries " + EntryScanner.range(lo, hi, limit)
                + ") TO STDOUT (FORMAT binary)";
        CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
        try {
            BinaryCopyReader in = new BinaryCopyReader(copy);
            RawEntry raw = new RawEntry();
            long pending = 0;
            long count = 0;
            while (in.nextTuple(COLUMNS)) {
                fill(in, raw);
                verifier.tryAccept(raw);
                count++;
                if (++pending == PROGRESS_EVERY) {
                    rowsDone.accept(pending);
                    pending = 0;
                }
            }
            rowsDone.accept(pending);
            return new Slice(count, raw.seq());
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Maps one binary COPY tuple (columns in {@link EntryField} order) onto the raw entry. */
    private static void fill(BinaryCopyReader in, RawEntry raw) throws SQLException {
        byte[] b = in.buffer();
        if (in.length(SEQ) != 8) {
            throw new SQLException("a ledger row's seq is not a bigint: the schema was altered");
        }
        raw.begin(in.int8(SEQ), b);
        boolean readable = true;
        for (int col = SEQ + 1; col < COLUMNS; col++) {
            int len = in.length(col);
            int off = in.offset(col);
            RawEntry.Text text = TEXTS[col];
            if (text != null) {
                if (len < 0) {
                    raw.absent(text);
                } else {
                    raw.text(text, off, len);
                }
                continue;
            }
            EntryField field = FIELDS[col];
            switch (field.kind()) {
                case UUID -> {
                    RawEntry.Party party = RawEntry.Party.of(field);
                    if (len < 0) {
                        raw.noParty(party);
                    } else if (len == 16) {
                        raw.uuid(party, off);
                    } else {
                        readable = false;
                    }
                }
                case INT64, AMOUNT, TIME -> readable &= len == 8;
                case HASH -> {
                    if (field == EntryField.PREVIOUS_HASH) {
                        raw.previousHash(off, len);
                    } else {
                        raw.currentHash(off, len);
                    }
                }
                default -> throw new AssertionError("unmapped ledger column " + field);
            }
        }
        raw.amounts(in.int8Or0(GROSS), in.int8Or0(TAX), in.int8Or0(NET));
        raw.createdAtMicros(in.length(CREATED) == 8 ? in.int8(CREATED) : Long.MIN_VALUE);
        if (!readable) {
            raw.unreadable();
        }
    }
}

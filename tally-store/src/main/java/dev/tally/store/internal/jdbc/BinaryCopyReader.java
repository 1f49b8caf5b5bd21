package dev.tally.store.internal.jdbc;

import java.sql.SQLException;
import org.postgresql.copy.CopyOut;

/**
 * Reads PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary
 * Format") tuple by tuple: a header, then per tuple a 16-bit field count and per field a 32-bit length
 * (-1 for NULL) and the bytes, then a count of -1. The server sends a tuple per CopyData message, so the
 * reader parses each message in place, without copying; it does not rely on it, though: a tuple that spans
 * messages is stitched together. The fields of the current tuple stay valid until the next call of
 * {@link #nextTuple}. Not thread-safe.
 */
final class BinaryCopyReader {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private final CopyOut copy;
    private byte[] buf = new byte[0];
    private int pos;
    private int lim;
    private boolean headerRead;
    private int[] offsets = new int[32];
    private int[] lengths = new int[32];

    BinaryCopyReader(CopyOut copy) {
        this.copy = copy;
    }

    /** Moves to the next tuple, which must have {@code fields} fields; false at the end of the data. */
    boolean nextTuple(int fields) throws SQLException {
        if (pos == lim) {
            // The usual case: the next message holds the next tuple; parse it where it is.
            byte[] message = copy.readFromCopy();
            if (message == null) {
                throw new SQLException("COPY data ended without its trailer");
            }
            buf = message;
            pos = 0;
            lim = message.length;
        }
        if (!headerRead) {
            readHeader();
        }
        require(2);
        int count = (short) (((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff));
        pos += 2;
        if (count == -1) {
            // The trailer: read to the end so the connection is free for the next statement.
            byte[] rest = copy.readFromCopy();
            while (rest != null) {
                rest = copy.readFromCopy();
            }
            return false;
        }
        if (count != fields) {
            throw new SQLException("COPY sent " + count + " fields per row, expected " + fields);
        }
        if (offsets.length < fields) {
            offsets = new int[fields];
            lengths = new int[fields];
        }
        for (int i = 0; i < fields; i++) {
            require(4);
            int len = int32(pos);
            pos += 4;
            lengths[i] = len;
            offsets[i] = pos;
            if (len > 0) {
                require(len);
                pos += len;
            }
        }
        return true;
    }

    /** The buffer the current tuple's fields are slices of. */
    byte[] buffer() {
        return buf;
    }

    int offset(int field) {
        return offsets[field];
    }

    /** The field's byte length, -1 for NULL. */
    int length(int field) {
        return lengths[field];
    }

    /** A bigint field (8 bytes, big-endian). */
    long int8(int field) {
        long v = 0;
        int off = offsets[field];
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[off + i] & 0xff);
        }
        return v;
    }

    /** A bigint field, or 0 when it is NULL or not 8 bytes long. */
    long int8Or0(int field) {
        return lengths[field] == 8 ? int8(field) : 0;
    }

    private void readHeader() throws SQLException {
        require(SIGNATURE.length + 8);
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (buf[i] != SIGNATURE[i]) {
                throw new SQLException("COPY did not send the binary format's signature");
            }
        }
        int extension = int32(SIGNATURE.length + 4);
        pos = SIGNATURE.length + 8;
        require(extension);
        pos += extension;
        headerRead = true;
    }

    /**
     * Makes sure {@code n} bytes from {@code pos} are in the buffer, appending the next messages when a
     * tuple goes on in them. Offsets already taken stay valid: the bytes keep their positions.
     */
    private void require(int n) throws SQLException {
        while (lim - pos < n) {
            byte[] message = copy.readFromCopy();
            if (message == null) {
                throw new SQLException("COPY data ended inside a row");
            }
            byte[] joined = new byte[lim + message.length];
            System.arraycopy(buf, 0, joined, 0, lim);
            System.arraycopy(message, 0, joined, lim, message.length);
            buf = joined;
            lim = joined.length;
        }
    }

    private int int32(int at) {
        return ((buf[at] & 0xff) << 24)
                | ((buf[at + 1] & 0xff) << 16)
                | ((buf[at + 2] & 0xff) << 8)
                | (buf[at + 3] & 0xff);
    }
}

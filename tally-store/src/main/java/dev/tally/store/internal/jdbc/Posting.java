package dev.tally.store.internal.jdbc;

import java.util.UUID;

/**
 * One side of one entry: the account (its UUID's two halves), whether it sent or received, and the entry's
 * seq. Ordered as the table's key: bucket, account (unsigned, as SQLite compares the 16 big-endian bytes),
 * direction, seq; compared on primitives, since a batch sorts tens of thousands of them.
 */
record Posting(long accountHigh, long accountLow, int direction, long seq) implements Comparable<Posting> {
    static final int SENT = 0;
    static final int RECEIVED = 1;

    static Posting of(UUID account, int direction, long seq) {
        return new Posting(account.getMostSignificantBits(), account.getLeastSignificantBits(), direction, seq);
    }

    byte[] account() {
        return PostingsFile.bytes(new UUID(accountHigh, accountLow));
    }

    @Override
    public int compareTo(Posting o) {
        int c = Long.compare(PostingsFile.bucket(seq), PostingsFile.bucket(o.seq));
        if (c == 0) {
            c = Long.compareUnsigned(accountHigh, o.accountHigh);
        }
        if (c == 0) {
            c = Long.compareUnsigned(accountLow, o.accountLow);
        }
        if (c == 0) {
            c = Integer.compare(direction, o.direction);
        }
        return c != 0 ? c : Long.compare(seq, o.seq);
    }
}

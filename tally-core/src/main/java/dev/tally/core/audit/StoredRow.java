package dev.tally.core.audit;

import dev.tally.core.ledger.LedgerEntry;
import java.util.Objects;
import java.util.Optional;

/**
 * A row of the journal as a store read it: an entry, or a row too damaged to be one (an unknown type, a
 * hash of the wrong length). The verifier reports the second kind instead of failing on it.
 */
public sealed interface StoredRow {
    /** The row's position in the chain. */
    long seq();

    /** A row that reads as an entry; it may still be tampered with. */
    record Readable(LedgerEntry entry) implements StoredRow {
        public Readable {
            Objects.requireNonNull(entry, "entry");
        }

        @Override
        public long seq() {
            return entry.seq();
        }
    }

    /** A row that does not read as an entry; {@code reason} says why. */
    record Malformed(long seq, Optional<String> transactionId, String reason) implements StoredRow {
        public Malformed {
            Objects.requireNonNull(transactionId, "transactionId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}

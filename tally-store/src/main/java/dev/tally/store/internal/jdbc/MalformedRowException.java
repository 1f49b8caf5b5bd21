package dev.tally.store.internal.jdbc;

import dev.tally.core.error.TallyException;

/** A ledger row that cannot even be read as an entry (e.g. an unknown type or a hash of the wrong length). */
public final class MalformedRowException extends TallyException {
    private final long seq;
    private final String transactionId;

    public MalformedRowException(long seq, String transactionId, String reason) {
        super("ledger row seq " + seq + " (" + transactionId + ") is malformed: " + reason);
        this.seq = seq;
        this.transactionId = transactionId;
    }

    public long seq() {
        return seq;
    }

    public String transactionId() {
        return String.valueOf(transactionId);
    }
}

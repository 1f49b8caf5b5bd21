package dev.tally.ledger.archive;

import dev.tally.core.error.TallyException;

/** Archiving cannot proceed: the store does not partition by month, or a month cannot be archived safely. */
public final class ArchiveException extends TallyException {
    /** Why. */
    public enum Reason {
        /** The store is SQLite: one unpartitioned table, nothing to archive. */
        UNSUPPORTED_STORE,
        /** An archive file did not audit valid, or does not match what the ledger recorded of it. */
        AUDIT_FAILED,
        /** The live months do not continue the archived ones. */
        GAP
    }

    private final Reason reason;

    public ArchiveException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

package dev.tally.store;

import dev.tally.core.error.TallyException;

/**
 * There is no Tally ledger where a store was opened with {@link OpenMode#EXISTING} (or a location names
 * something that cannot hold one): nothing was created or changed. The message names the location and why.
 */
public final class NoLedgerException extends TallyException {
    private final String location;
    private final String reason;
    private final boolean creatable;

    /**
     * @param creatable whether a ledger could be created there (nothing is in the way, as for a missing file),
     *                  as opposed to something that can never be a ledger (a directory, a foreign URL)
     */
    public NoLedgerException(String location, String reason, boolean creatable) {
        super("no ledger at " + location + ": " + reason);
        this.location = location;
        this.reason = reason;
        this.creatable = creatable;
    }

    /** The location as given (a path, or a URL with any password removed). */
    public String location() {
        return location;
    }

    /** Why there is no ledger there, e.g. "no such file" or "the file is empty (0 bytes)". */
    public String reason() {
        return reason;
    }

    /** Whether opening the same location with {@link OpenMode#CREATE} would create a ledger there. */
    public boolean creatable() {
        return creatable;
    }
}

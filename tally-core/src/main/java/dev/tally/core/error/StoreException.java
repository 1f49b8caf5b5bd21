package dev.tally.core.error;

/** The database failed (I/O, constraint, connection). The transaction was rolled back. */
public final class StoreException extends TallyException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

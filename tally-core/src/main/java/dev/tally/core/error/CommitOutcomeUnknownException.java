package dev.tally.core.error;

/**
 * The database was asked to commit a transaction and did not confirm it (the connection broke, the server
 * went away, the disk failed during the commit). The transaction may be durable or not; only reading the
 * store after a restart tells. A writer must not retry it blindly.
 */
public final class CommitOutcomeUnknownException extends TallyException {
    public CommitOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}

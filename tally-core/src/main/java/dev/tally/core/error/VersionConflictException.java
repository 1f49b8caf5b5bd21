package dev.tally.core.error;

/**
 * A write found a row at another version than the one it read: another writer moved first. The whole
 * database transaction was rolled back; the caller reloads and retries.
 */
public final class VersionConflictException extends TallyException {
    public VersionConflictException(String message) {
        super(message);
    }
}

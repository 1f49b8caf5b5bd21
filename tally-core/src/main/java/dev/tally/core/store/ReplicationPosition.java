package dev.tally.core.store;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * How far a store's database has got, for measuring a replica's lag against its primary: the chain head's
 * sequence number it shows, and on PostgreSQL its WAL position in bytes (on a standby the position it has
 * replayed, {@code pg_last_wal_replay_lsn()}; on a primary the one it has written, {@code pg_current_wal_lsn()}).
 */
public record ReplicationPosition(boolean standby, long headSeq, OptionalLong walBytes) {
    public ReplicationPosition {
        Objects.requireNonNull(walBytes, "walBytes");
    }

    /** A store with no WAL position to show (SQLite). */
    public static ReplicationPosition headOnly(long headSeq) {
        return new ReplicationPosition(false, headSeq, OptionalLong.empty());
    }
}

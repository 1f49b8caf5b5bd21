package dev.tally.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The append-only log of admin actions kept beside the ledger. Thread-safe. */
public interface AdminLogStore {
    /** Appends one action; the store gives it the next id. */
    void append(Instant at, String keyName, String action, Optional<String> target, Optional<String> detail);

    /** The newest actions first, at most {@code limit}. */
    List<AdminActionRow> recent(int limit);
}

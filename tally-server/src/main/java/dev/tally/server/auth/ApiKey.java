package dev.tally.server.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A stored API key: its name (the actor recorded in entries and admin actions), its role, and when it was
 * created and revoked. The key itself is never kept, only its SHA-256; see {@link ApiKeys}.
 */
public record ApiKey(UUID id, String name, ApiRole role, Instant createdAt, Optional<Instant> revokedAt) {
    /** Longest key name; it becomes an entry's actor, which allows 128 characters. */
    public static final int MAX_NAME = 64;

    public ApiKey {
        Objects.requireNonNull(id, "id");
        requireValidName(name);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    public boolean active() {
        return revokedAt.isEmpty();
    }

    /** Validates a key name: 1-64 letters, digits, '_', '.', '-' or ':'. */
    public static void requireValidName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0," + (MAX_NAME - 1) + "}")) {
            throw new IllegalArgumentException(
                    "a key name is 1-" + MAX_NAME + " letters, digits, '_', '.', ':' or '-'");
        }
    }
}

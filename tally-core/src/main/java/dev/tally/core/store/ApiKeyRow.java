package dev.tally.core.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A stored API key without its secret (only the secret's hash is stored, and never read back).
 *
 * @param id the key's id
 * @param name the name that identifies one live key
 * @param role the role's lower-case label, e.g. {@code admin}
 * @param createdAt when it was issued
 * @param revokedAt when it was revoked; empty while it is live
 */
public record ApiKeyRow(UUID id, String name, String role, Instant createdAt, Optional<Instant> revokedAt) {
    public ApiKeyRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }
}

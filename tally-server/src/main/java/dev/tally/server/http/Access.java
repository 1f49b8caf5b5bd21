package dev.tally.server.http;

import dev.tally.server.auth.ApiRole;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who may call a route: anyone ({@link #PUBLIC}), or holders of a key with one of the listed roles. The
 * matrix of the issue: {@code admin} everything; {@code service} accounts, transfers and reads;
 * {@code auditor} reads, verification and proofs, never a write.
 */
public record Access(boolean open, Set<ApiRole> roles) {
    /** No key needed (health, the OpenAPI document). */
    public static final Access PUBLIC = new Access(true, Set.of());
    /** Reads: every role. */
    public static final Access READ = roles(ApiRole.ADMIN, ApiRole.SERVICE, ApiRole.AUDITOR);
    /** What a game backend writes: accounts and transfers. */
    public static final Access SERVICE = roles(ApiRole.ADMIN, ApiRole.SERVICE);
    /** Verification, reconciliation, proofs, the admin log. */
    public static final Access AUDIT = roles(ApiRole.ADMIN, ApiRole.AUDITOR);
    /** Money creation and destruction, reversals, freezes, keys. */
    public static final Access ADMIN = roles(ApiRole.ADMIN);

    public Access {
        Objects.requireNonNull(roles, "roles");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    public static Access roles(ApiRole first, ApiRole... more) {
        return new Access(false, EnumSet.of(first, more));
    }

    public boolean allows(ApiRole role) {
        return open || roles.contains(role);
    }
}

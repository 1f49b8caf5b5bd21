package dev.tally.server.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do. {@code admin} may do everything; {@code service} is what a game backend needs
 * (accounts, transfers, reads); {@code auditor} reads, verifies and fetches proofs, and never writes.
 * Stored and printed in lower case ({@link #label()}).
 */
public enum ApiRole {
    ADMIN,
    SERVICE,
    AUDITOR;

    /** The lower-case name used in the database, on the command line and in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label, case-insensitively; empty when it is not a role. */
    public static Optional<ApiRole> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (ApiRole r : values()) {
            if (r.name().equalsIgnoreCase(text.strip())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}

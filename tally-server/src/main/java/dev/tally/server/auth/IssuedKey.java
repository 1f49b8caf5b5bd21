package dev.tally.server.auth;

import java.util.Objects;

/** A key just created: its stored record and the secret, which is shown once and never stored. */
public record IssuedKey(ApiKey key, String secret) {
    public IssuedKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(secret, "secret");
    }

    /** Never print the secret by accident (logs, exceptions). */
    @Override
    public String toString() {
        return "IssuedKey[" + key + "]";
    }
}

package dev.tally.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The API keys kept beside the ledger, by the hash of their secret; the secret itself is never stored.
 * Every method is one atomic step in the database. Thread-safe.
 */
public interface ApiKeyStore {
    /** Stores a new live key; false when a live key has that name or a key has that secret hash. */
    boolean insert(ApiKeyRow key, String secretHash);

    /** The live key whose secret has this hash. */
    Optional<ApiKeyRow> findLiveByHash(String secretHash);

    /** The live key with this name. */
    Optional<ApiKeyRow> findLiveByName(String name);

    /** Every key, live and revoked, oldest first. */
    List<ApiKeyRow> list();

    /** Revokes the live key with this name. */
    Revocation revoke(String name, Instant at);

    /**
     * Revokes the live key with this name unless it is the last live key with role {@code guardedRole}: the
     * check and the revocation are one step, so two of them racing cannot both pass the check.
     */
    Revocation revokeUnlessLast(String name, String guardedRole, Instant at);

    /** What a revocation did. */
    enum Revocation {
        /** The key was live and is revoked now. */
        REVOKED,
        /** There is no live key with that name. */
        NO_LIVE_KEY,
        /** The key is the last live one of the guarded role and was left live. */
        LAST_OF_ROLE
    }
}

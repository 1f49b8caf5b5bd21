package dev.tally.server.auth;

import dev.tally.core.error.StoreException;
import dev.tally.core.store.ApiKeyRow;
import dev.tally.core.store.ApiKeyStore;
import dev.tally.core.store.LedgerStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The API keys of a ledger, in its own database (the store's {@link ApiKeyStore}). Only the SHA-256
 * of a key is stored, so neither a database dump nor this class can give a key back: a key is shown once,
 * when it is issued. Thread-safe.
 *
 * <p>Without a cache ({@link #of}), every {@link #authenticate} looks the hash up, so a revoked key stops
 * working at once. With one ({@link #cachingFor}, what {@code tally serve} uses so that a request does not
 * pay a query for its key), a live key found by a lookup is remembered for the cache time: a key revoked
 * through this same instance ({@link #revoke}, i.e. through this server's API) stops working at once, and a
 * key revoked by another process ({@code tally apikey revoke}, another server on the same database) keeps
 * working on this one for at most the cache time after the revocation commits. Unknown and revoked keys
 * are never cached: every request with one is looked up again.
 */
public final class ApiKeys {
    /** Every issued key starts with this, so a leaked one is recognisable by secret scanners. */
    public static final String PREFIX = "tally_";
    /** Longest bearer token worth hashing; longer ones are refused before any lookup. */
    public static final int MAX_SECRET = 256;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final MessageDigest SHA256;

    static {
        try {
            SHA256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
    /** Most live keys remembered at once; past it the cache starts over (live keys are few in practice). */
    static final int MAX_CACHED = 10_000;

    private final ApiKeyStore store;
    /** How long a live key found by a lookup is trusted without another one, in nanoseconds; 0 is no cache. */
    private final long cacheNanos;

    private final LongSupplier nanoTime;
    /** Live keys by the SHA-256 of their secret (never the secret itself), each with when it was found. */
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    /**
     * Moved on by every revocation through this instance: a cached key counts only while the generation it
     * was looked up in is the current one, so a lookup that raced a revocation cannot leave the key cached.
     */
    private final AtomicLong generation = new AtomicLong();

    public ApiKeys(ApiKeyStore store) {
        this(store, 0, System::nanoTime);
    }

    private ApiKeys(ApiKeyStore store, long cacheNanos, LongSupplier nanoTime) {
        this.store = store;
        this.cacheNanos = cacheNanos;
        this.nanoTime = nanoTime;
    }

    /**
     * The same keys, with live keys cached for {@code ttl} (see the class comment): a key revoked by another
     * process keeps working here for at most {@code ttl}; one revoked through the returned instance, not at all.
     */
    public ApiKeys cachingFor(java.time.Duration ttl) {
        return cachingFor(ttl, System::nanoTime);
    }

    /** As {@link #cachingFor(java.time.Duration)}, on a given nanosecond clock (for tests). */
    public ApiKeys cachingFor(java.time.Duration ttl, LongSupplier nanoTime) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("a cache time cannot be negative: " + ttl);
        }
        return new ApiKeys(store, ttl.toNanos(), nanoTime);
    }

    /** The keys of the ledger kept in this store. */
    public static ApiKeys of(LedgerStore store) {
        return new ApiKeys(store.apiKeys());
    }

    /** Issues a new key with 256 random bits; the name must not belong to another live key. */
    public IssuedKey issue(String name, ApiRole role, Instant now) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new IssuedKey(register(name, role, secret, now), secret);
    }

    /**
     * Stores a key the operator chose (the bootstrap admin key from {@code TALLY_ADMIN_KEY}).
     *
     * @throws IllegalArgumentException when the name is taken by a live key or the secret is already registered
     */
    public ApiKey register(String name, ApiRole role, String secret, Instant now) {
        ApiKey.requireValidName(name);
        requireUsableSecret(secret);
        // Stored as microseconds, like every time in the schema: answer with what a later read gives back.
        ApiKey key = new ApiKey(UUID.randomUUID(), name, role, now.truncatedTo(ChronoUnit.MICROS), Optional.empty());
        if (!store.insert(
                new ApiKeyRow(key.id(), name, role.label(), key.createdAt(), Optional.empty()), hash(secret))) {
            throw new IllegalArgumentException(
                    "a live key named " + name + " (or with the same secret) already exists");
        }
        return key;
    }

    /** The live key whose secret this is, if any. */
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > MAX_SECRET) {
            return Optional.empty();
        }
        String hash = hash(secret);
        if (cacheNanos > 0) {
            Cached hit = cache.get(hash);
            if (hit != null && hit.generation == generation.get() && nanoTime.getAsLong() - hit.foundAt < cacheNanos) {
                return Optional.of(hit.key);
            }
        }
        // Read the generation before the lookup: a revocation committed after this read moves it on.
        long seen = generation.get();
        long foundAt = nanoTime.getAsLong();
        Optional<ApiKey> key = store.findLiveByHash(hash).map(ApiKeys::key);
        if (cacheNanos > 0) {
            if (key.isPresent()) {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
                cache.put(hash, new Cached(key.get(), seen, foundAt));
            } else {
                cache.remove(hash);
            }
        }
        return key;
    }

    /** The live key with this name, if any. */
    public Optional<ApiKey> findActive(String name) {
        return store.findLiveByName(name).map(ApiKeys::key);
    }

    /** Whether the secret belongs to a live key named {@code name}. */
    public boolean matches(String name, String secret) {
        return authenticate(secret).filter(k -> k.name().equals(name)).isPresent();
    }

    /** Revokes the live key with this name; false when there is none. */
    public boolean revoke(String name, Instant now) {
        try {
            return store.revoke(name, now) == ApiKeyStore.Revocation.REVOKED;
        } finally {
            forgetCachedKeys();
        }
    }

    /**
     * Revokes the live key with this name unless it is the last live admin key, in one atomic step: two
     * revocations racing each other cannot both pass the check and leave no admin.
     */
    public ApiKeyStore.Revocation revokeUnlessLastAdmin(String name, Instant now) {
        try {
            return store.revokeUnlessLast(name, ApiRole.ADMIN.label(), now);
        } finally {
            forgetCachedKeys();
        }
    }

    /** After a revocation has committed (or failed): every key cached so far must be looked up again. */
    private void forgetCachedKeys() {
        generation.incrementAndGet();
        cache.clear();
    }

    /** Every key, live and revoked, oldest first. */
    public List<ApiKey> list() {
        return store.list().stream().map(ApiKeys::key).toList();
    }

    /** Whether any live key has this role. */
    public boolean anyActive(ApiRole role) {
        return list().stream().anyMatch(k -> k.active() && k.role() == role);
    }

    /** SHA-256 of the key's UTF-8 bytes, lower-case hex: the only form a key is stored in. */
    public static String hash(String secret) {
        return HexFormat.of().formatHex(sha256().digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh SHA-256 digest: a clone of a prototype, cheaper than a provider lookup per request. */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException never) {
                throw new AssertionError("every JDK has SHA-256", never);
            }
        }
    }

    /** A usable secret: 16-256 printable ASCII characters, so it survives an HTTP header unchanged. */
    public static void requireUsableSecret(String secret) {
        if (secret == null
                || secret.length() < 16
                || secret.length() > MAX_SECRET
                || !secret.chars().allMatch(ch -> ch > ' ' && ch <= '~')) {
            throw new IllegalArgumentException(
                    "an API key must be 16-" + MAX_SECRET + " printable ASCII characters without spaces");
        }
    }

    /** A live key as a lookup found it: in which generation, and when (System.nanoTime-style). */
    private record Cached(ApiKey key, long generation, long foundAt) {}

    private static ApiKey key(ApiKeyRow row) {
        ApiRole role =
                ApiRole.parse(row.role()).orElseThrow(() -> new StoreException("api_keys holds an unknown role"));
        return new ApiKey(row.id(), row.name(), role, row.createdAt(), row.revokedAt());
    }
}

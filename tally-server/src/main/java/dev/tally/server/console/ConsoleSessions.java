package dev.tally.server.console;

import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The console's server-side sessions: a random id (the cookie) maps to the signed-in key and the session's
 * CSRF token. A session ends on sign-out, after {@code idle} without a request, or as soon as its key is
 * revoked. Thread-safe.
 */
final class ConsoleSessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One signed-in operator. */
    record Session(String id, ApiKey key, String csrf) {}

    private record Held(Session session, long lastSeenNanos) {}

    private final Map<String, Held> sessions = new ConcurrentHashMap<>();
    private final Duration idle;
    private final ApiKeys keys;
    private final LongSupplier nanoTime;

    ConsoleSessions(Duration idle, ApiKeys keys, LongSupplier nanoTime) {
        this.idle = idle;
        this.keys = keys;
        this.nanoTime = nanoTime;
    }

    Duration idle() {
        return idle;
    }

    /** Starts a new session for a key (a fresh id every time, so a planted id never becomes signed in). */
    Session open(ApiKey key) {
        expireIdle();
        Session s = new Session(token(), key, token());
        sessions.put(s.id(), new Held(s, nanoTime.getAsLong()));
        return s;
    }

    /** The live session of this id, touched; empty when unknown, idle too long, or its key was revoked. */
    Optional<Session> find(String id) {
        Held held = sessions.get(id);
        if (held == null) {
            return Optional.empty();
        }
        long now = nanoTime.getAsLong();
        boolean keyLive = keys.findActive(held.session().key().name())
                .filter(k -> k.id().equals(held.session().key().id()))
                .isPresent();
        if (now - held.lastSeenNanos() > idle.toNanos() || !keyLive) {
            sessions.remove(id);
            return Optional.empty();
        }
        sessions.put(id, new Held(held.session(), now));
        return Optional.of(held.session());
    }

    void close(String id) {
        sessions.remove(id);
    }

    private void expireIdle() {
        long now = nanoTime.getAsLong();
        sessions.values().removeIf(h -> now - h.lastSeenNanos() > idle.toNanos());
    }

    /** Whether a token sent with a form is this session's, compared in constant time. */
    static boolean sameToken(String expected, String sent) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }

    /** 256 random bits, URL-safe. */
    static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}

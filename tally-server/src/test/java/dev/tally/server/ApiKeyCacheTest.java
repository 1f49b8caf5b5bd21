package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiKeys;
import dev.tally.server.auth.ApiRole;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The server's API key cache: a live key is trusted for the cache time without a lookup, a key revoked
 * through the caching instance (this server's API) is refused at once, a key revoked elsewhere (another
 * process) at most the cache time later, and unknown keys are never cached.
 */
class ApiKeyCacheTest {
    private static final Duration TTL = Duration.ofSeconds(1);

    @Test
    void aCachedKeyRevokedThroughTheSameInstanceIsRefusedAtOnce() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            AtomicLong now = new AtomicLong();
            ApiKeys keys = s.keys().cachingFor(TTL, now::get);
            String secret = keys.issue("cached", ApiRole.SERVICE, Instant.now()).secret();
            assertThat(keys.authenticate(secret)).isPresent();

            assertThat(keys.revoke("cached", Instant.now())).isTrue();

            assertThat(keys.authenticate(secret)).isEmpty();
        }
    }

    @Test
    void aCachedKeyRevokedByAnotherProcessKeepsWorkingAtMostTheCacheTime() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            AtomicLong now = new AtomicLong();
            ApiKeys keys = s.keys().cachingFor(TTL, now::get);
            String secret =
                    keys.issue("elsewhere", ApiRole.SERVICE, Instant.now()).secret();
            assertThat(keys.authenticate(secret)).isPresent();

            ApiKeys otherProcess = s.keys();
            assertThat(otherProcess.revoke("elsewhere", Instant.now())).isTrue();
            now.addAndGet(TTL.toNanos() - 1);
            assertThat(keys.authenticate(secret))
                    .as("still within the cache time")
                    .isPresent();
            now.addAndGet(1);

            assertThat(keys.authenticate(secret)).isEmpty();
        }
    }

    @Test
    void aCachedKeyIsAnsweredWithoutALookupWithinTheCacheTime() throws Exception {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            AtomicLong now = new AtomicLong();
            ApiKeys keys = s.keys().cachingFor(TTL, now::get);
            String secret = keys.issue("quiet", ApiRole.AUDITOR, Instant.now()).secret();
            Optional<ApiKey> first = keys.authenticate(secret);
            // Take the table away: only the cache can answer now.
            StoreSql.execute(s.store(), "ALTER TABLE api_keys RENAME TO api_keys_away");
            try {
                assertThat(keys.authenticate(secret)).isEqualTo(first);
            } finally {
                StoreSql.execute(s.store(), "ALTER TABLE api_keys_away RENAME TO api_keys");
            }
        }
    }

    @Test
    void anUnknownKeyIsLookedUpAgainOnEveryRequest() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            ApiKeys keys = s.keys().cachingFor(TTL, () -> 0L);
            String secret = "tally_registered_after_a_first_refusal";
            assertThat(keys.authenticate(secret)).isEmpty();

            s.keys().register("late", ApiRole.SERVICE, secret, Instant.now());

            assertThat(keys.authenticate(secret)).isPresent();
        }
    }

    @Test
    void aRunningServerRefusesAKeyRevokedByAnotherProcessWithinTheCacheTime() throws Exception {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            assertThat(s.http.get("/v1/supply", s.service).status()).isEqualTo(200);

            s.keys().revoke("game-backend", Instant.now());
            long revokedAt = System.nanoTime();
            while (s.http.get("/v1/supply", s.service).status() == 200) {
                assertThat(Duration.ofNanos(System.nanoTime() - revokedAt))
                        .isLessThan(TallyServer.KEY_CACHE.plusMillis(500));
                Thread.sleep(50);
            }

            assertThat(s.http.get("/v1/supply", s.service).status()).isEqualTo(401);
        }
    }
}

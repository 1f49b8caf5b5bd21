package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiKeys;
import dev.tally.server.auth.ApiRole;
import dev.tally.store.testing.StoreKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Admins revoking each other's keys at the same moment: the check that a revocation leaves an admin key
 * and the revocation itself are one step, so however the requests interleave, one admin key stays live.
 */
class LastAdminKeyRaceTest {
    private static final int ADMINS = 8;
    private static final int ROUNDS = 12;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void adminsRevokingEachOthersKeysInParallelAlwaysLeaveOneAdminKey(StoreKind kind) throws Exception {
        try (Running s = Running.start(kind);
                ExecutorService pool = Executors.newFixedThreadPool(ADMINS)) {
            ApiKeys keys = s.keys();
            for (int round = 0; round < ROUNDS; round++) {
                List<String> names = new ArrayList<>();
                List<String> secrets = new ArrayList<>();
                for (int i = 0; i < ADMINS; i++) {
                    String name = "admin-" + round + "-" + i;
                    names.add(name);
                    secrets.add(keys.issue(name, ApiRole.ADMIN, Instant.now()).secret());
                }
                // Only the keys of this round are live admins when the race starts.
                liveAdmins(keys).stream()
                        .map(ApiKey::name)
                        .filter(n -> !names.contains(n))
                        .forEach(n -> keys.revoke(n, Instant.now()));
                CyclicBarrier start = new CyclicBarrier(ADMINS);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < ADMINS; i++) {
                    String target = names.get(i);
                    String sender = secrets.get((i + 1) % ADMINS);
                    answers.add(pool.submit(() -> {
                        start.await();
                        return s.http.delete("/v1/admin/api-keys/" + target, sender)
                                .status();
                    }));
                }
                for (Future<Integer> answer : answers) {
                    assertThat(answer.get()).isIn(200, 401, 409);
                }
                assertThat(liveAdmins(keys))
                        .as("live admin keys after round %d", round)
                        .isNotEmpty();
            }
        }
    }

    private static List<ApiKey> liveAdmins(ApiKeys keys) {
        return keys.list().stream()
                .filter(k -> k.active() && k.role() == ApiRole.ADMIN)
                .toList();
    }
}

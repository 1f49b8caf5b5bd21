package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.testing.Invariants;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many HTTP clients at once: random transfers among a few hot accounts, with retries; then a graceful
 * stop under the same load. Whatever a client was told succeeded (2xx) is in the ledger exactly once,
 * money is conserved, the chain verifies and reconciliation is clean.
 */
class LoadTest {
    private static final int HOT = 4;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void concurrentClientsOnHotAccountsLoseNothingAndDuplicateNothing(StoreKind kind) throws Exception {
        try (Running s = Running.start(kind)) {
            List<String> hot = hotAccounts(s);
            Map<String, String> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger refused = new AtomicInteger();
            int clients = 24;
            int perClient = 40;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> all = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    all.add(pool.submit(() -> {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        for (int i = 0; i < perClient; i++) {
                            String body = randomTransfer("c" + client + "-" + i, hot, random);
                            Response r = s.http.post("/v1/transfers", s.service, body);
                            switch (r.status()) {
                                case 201 ->
                                    acknowledged.put(
                                            r.json().get("transaction_id").asText(), r.body());
                                case 422 -> {
                                    assertThat(r.code()).as(r.toString()).isEqualTo("INSUFFICIENT_FUNDS");
                                    refused.incrementAndGet();
                                }
                                default -> throw new AssertionError("unexpected answer " + r);
                            }
                            if (r.status() == 201 && random.nextInt(5) == 0) {
                                // A client that lost the answer retries: it gets the same entry, and nothing new is
                                // written.
                                Response again = s.http.post("/v1/transfers", s.service, body);
                                assertThat(again.status()).isEqualTo(200);
                                assertThat(again.body()).isEqualTo(r.body());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : all) {
                    f.get(5, TimeUnit.MINUTES);
                }
            }
            Ledger ledger = s.server.ledger();
            assertThat(acknowledged.size() + refused.get()).isEqualTo(clients * perClient);
            assertThat(acknowledged).isNotEmpty();
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                Response stored = s.http.get("/v1/transactions/" + e.getKey(), s.auditor);
                assertThat(stored.body())
                        .as("transfer %s as acknowledged", e.getKey())
                        .isEqualTo(e.getValue());
            }
            // HOT mints plus exactly the acknowledged transfers: nothing lost, nothing doubled.
            assertThat(Invariants.entryCount(ledger)).isEqualTo(HOT + acknowledged.size());
            Invariants.assertHold(ledger);
            assertClean(s);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aGracefulStopUnderLoadLosesNoAcknowledgedTransfer(StoreKind kind) throws Exception {
        String location = TestStores.freshLocation(kind);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger shuttingDown = new AtomicInteger();
        AtomicInteger cutOff = new AtomicInteger();
        AtomicBoolean stopping = new AtomicBoolean();
        try (Running s = Running.start(location, c -> c, Clock.systemUTC())) {
            List<String> hot = hotAccounts(s);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> all = new ArrayList<>();
                for (int c = 0; c < 16; c++) {
                    int client = c;
                    all.add(pool.submit(() -> {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        for (int i = 0; ; i++) {
                            Response r;
                            try {
                                r = s.http.post(
                                        "/v1/transfers",
                                        s.service,
                                        randomTransfer("g" + client + "-" + i, hot, random));
                            } catch (RuntimeException connectionClosed) {
                                // The server stopped listening: the outcome of this one request is unknown, as for
                                // any network failure; a real client would retry it with the same transaction_id.
                                assertThat(stopping).isTrue();
                                cutOff.incrementAndGet();
                                return null;
                            }
                            if (r.status() == 201) {
                                acknowledged.put(r.json().get("transaction_id").asText(), r.body());
                            } else if (r.status() == 503) {
                                assertThat(r.code()).isEqualTo("SHUTTING_DOWN");
                                assertThat(stopping).isTrue();
                                shuttingDown.incrementAndGet();
                                return null;
                            } else {
                                assertThat(r.status()).as(r.toString()).isEqualTo(422);
                            }
                        }
                    }));
                }
                Thread.sleep(1500);
                stopping.set(true);
                s.server.stop();
                for (Future<?> f : all) {
                    f.get(2, TimeUnit.MINUTES);
                }
            }
        }
        assertThat(acknowledged).isNotEmpty();
        assertThat(shuttingDown.get() + cutOff.get()).isEqualTo(16);
        try (Ledger reopened = Ledger.open(LedgerConfig.defaults().withLocation(location))) {
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                assertThat(reopened.reads().findEntry(e.getKey()))
                        .as("acknowledged transfer %s survived the stop", e.getKey())
                        .isPresent();
            }
            Invariants.assertHold(reopened);
            assertThat(reopened.audit()
                            .verifyChainIntegrity(VerifyOptions.full())
                            .valid())
                    .isTrue();
            assertThat(reopened.audit().reconcile().valid()).isTrue();
        }
    }

    private static List<String> hotAccounts(Running s) {
        List<String> hot = new ArrayList<>();
        for (int i = 0; i < HOT; i++) {
            String id = s.account("hot" + i);
            s.mint(id, "1000.00");
            hot.add(id);
        }
        return hot;
    }

    private static String randomTransfer(String id, List<String> hot, ThreadLocalRandom random) {
        int from = random.nextInt(hot.size());
        int to = (from + 1 + random.nextInt(hot.size() - 1)) % hot.size();
        String amount = random.nextInt(1, 5000) + "." + String.format("%02d", random.nextInt(100));
        return transfer(id, hot.get(from), hot.get(to), amount);
    }

    private static void assertClean(Running s) {
        JsonNode verify =
                s.http.post("/v1/audit/verify?mode=full", s.auditor, null).json();
        assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
        JsonNode reconcile = s.http.post("/v1/audit/reconcile", s.auditor, null).json();
        assertThat(reconcile.get("valid").asBoolean()).as(reconcile.toString()).isTrue();
        s.http.get("/v1/supply", s.auditor)
                .json()
                .get("currencies")
                .forEach(c -> assertThat(c.get("conserved").asBoolean()).isTrue());
    }
}

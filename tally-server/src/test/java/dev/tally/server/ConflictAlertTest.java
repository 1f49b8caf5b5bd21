package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.core.error.RejectedException;
import dev.tally.core.ledger.EntryContext;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.testing.TestStores;
import dev.tally.server.config.AuditConfig;
import dev.tally.server.config.Webhook;
import dev.tally.store.testing.StoreKind;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A second process writing the same ledger makes the server's commits conflict (optimistic concurrency):
 * the conflict rate shows in the metrics and, over the threshold, an alert reaches the webhook.
 */
class ConflictAlertTest {
    @Test
    void anotherWriterOnTheSameLedgerRaisesTheConflictRateAlert() throws Exception {
        String location = TestStores.freshLocation(StoreKind.SQLITE);
        try (WebhookReceiver hooks = new WebhookReceiver()) {
            AuditConfig audit = new AuditConfig(
                    true,
                    "0 3 * * *",
                    "0 4 * * 0",
                    ZoneId.of("UTC"),
                    AuditConfig.FailurePolicy.FREEZE,
                    true,
                    Duration.ofSeconds(30),
                    100_000,
                    0.05,
                    5,
                    Duration.ofMillis(500),
                    List.of(new Webhook(URI.create(hooks.url("/generic")), Webhook.Format.GENERIC)),
                    Duration.ofSeconds(2),
                    1,
                    Duration.ofMillis(20),
                    Optional.empty(),
                    Optional.empty());
            try (Running s = Running.start(location, c -> c.withAudit(audit), Clock.systemUTC());
                    Ledger other = Ledger.open(LedgerConfig.defaults().withLocation(location))) {
                String alice = s.account("alice");
                String bob = s.account("bob");
                s.mint(alice, "100000.00");
                s.mint(bob, "100000.00");
                AtomicBoolean stop = new AtomicBoolean();
                String body = null;
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    pool.submit(() -> {
                        // The other process: its own sequencer, writing the same accounts' balances.
                        UUID a = UUID.fromString(alice);
                        UUID b = UUID.fromString(bob);
                        while (!stop.get()) {
                            try {
                                other.transfer(
                                        "other-" + UUID.randomUUID(),
                                        b,
                                        a,
                                        other.money("0.01", "EUR"),
                                        EntryContext.actor("other-process"));
                            } catch (RejectedException e) {
                                // Under heavy load a transfer may run out of retries (VERSION_CONFLICT): keep writing.
                            }
                        }
                        return null;
                    });
                    for (int c = 0; c < 4; c++) {
                        pool.submit(() -> {
                            while (!stop.get()) {
                                s.http.post(
                                        "/v1/transfers",
                                        s.service,
                                        transfer("http-" + UUID.randomUUID(), alice, bob, "0.01"));
                            }
                            return null;
                        });
                    }
                    body = hooks.await("/generic", Duration.ofSeconds(60));
                    stop.set(true);
                }
                assertThat(body).as("the conflict-rate alert arrived").isNotNull();
                JsonNode alert = new ObjectMapper().readTree(body);
                assertThat(alert.get("kind").asText()).isEqualTo("OCC_CONFLICT_RATE");
                assertThat(alert.get("severity").asText()).isEqualTo("warning");
                assertThat(alert.get("details").get("conflict_rate").asDouble()).isGreaterThan(0.05);
                assertThat(s.server.ledger().stats().conflicts()).isPositive();
                assertThat(s.http.get("/v1/admin/ledger-freeze", s.service)
                                .json()
                                .get("frozen")
                                .asBoolean())
                        .as("a conflict rate alerts; it does not freeze")
                        .isFalse();
            }
        }
    }
}

package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ledger.testing.SettableClock;
import dev.tally.server.config.AuditConfig;
import dev.tally.server.config.Webhook;
import dev.tally.store.audit.AnchorKeyFile;
import dev.tally.store.testing.StoreKind;
import dev.tally.store.testing.StoreSql;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scheduled audits on a clock the test controls, alerts into a webhook receiver in the test: a tampering
 * is caught by the next scheduled run, the alert arrives in every format, the ledger freezes (by default)
 * and an admin's unfreeze restores service; the weekly full verification catches what the daily
 * incremental one cannot; slow verifications alert; webhooks are retried.
 */
class AuditScheduleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static AuditConfig audit(
            WebhookReceiver hooks, AuditConfig.FailurePolicy policy, String zone, Duration slow, List<String> paths) {
        List<Webhook> webhooks = new ArrayList<>();
        for (String p : paths) {
            Webhook.Format f = p.startsWith("/slack")
                    ? Webhook.Format.SLACK
                    : p.startsWith("/discord") ? Webhook.Format.DISCORD : Webhook.Format.GENERIC;
            webhooks.add(new Webhook(URI.create(hooks.url(p)), f));
        }
        return new AuditConfig(
                true,
                "0 3 * * *",
                "0 4 * * 0",
                ZoneId.of(zone),
                policy,
                true,
                slow,
                100_000,
                0.05,
                20,
                Duration.ofMinutes(1),
                webhooks,
                Duration.ofSeconds(2),
                2,
                Duration.ofMillis(20),
                Optional.empty(),
                Optional.empty());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void afterATamperingTheNextDailyAuditAlertsAndFreezesTheLedgerUntilAnAdminUnfreezesIt(StoreKind kind)
            throws Exception {
        try (WebhookReceiver hooks = new WebhookReceiver()) {
            SettableClock clock = new SettableClock(Instant.parse("2026-03-02T02:59:00Z"));
            AuditConfig config = audit(
                    hooks,
                    AuditConfig.FailurePolicy.FREEZE,
                    "UTC",
                    Duration.ofSeconds(30),
                    List.of("/generic", "/slack", "/discord"));
            try (Running s = Running.start(kind, c -> c.withAudit(config), clock)) {
                String alice = s.account("alice");
                String bob = s.account("bob");
                s.mint(alice, "100.00");
                assertThat(s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "10.00"))
                                .status())
                        .isEqualTo(201);
                int runsBefore = runs(s).size();

                clock.set(Instant.parse("2026-03-02T03:00:01Z"));
                await(() -> runs(s).size() >= runsBefore + 2, "the daily audit ran");
                assertThat(runs(s)).allMatch(r -> r.get("valid").asBoolean());
                assertThat(hooks.pending("/generic")).isZero();

                assertThat(s.http.post("/v1/transfers", s.service, transfer("t2", alice, bob, "5.00"))
                                .status())
                        .isEqualTo(201);
                tamper(s, "t2");
                clock.set(Instant.parse("2026-03-03T03:00:01Z"));

                JsonNode generic = JSON.readTree(required(hooks.await("/generic", Duration.ofSeconds(60))));
                assertThat(generic.get("source").asText()).isEqualTo("tally");
                assertThat(generic.get("kind").asText()).isEqualTo("VERIFICATION_FAILED");
                assertThat(generic.get("severity").asText()).isEqualTo("critical");
                assertThat(generic.get("action").asText()).contains("frozen");
                assertThat(generic.get("details").get("valid").asBoolean()).isFalse();
                assertThat(generic.get("details").get("error_type").asText()).isNotBlank();
                JsonNode slack = JSON.readTree(required(hooks.await("/slack", Duration.ofSeconds(30))));
                assertThat(slack.get("text").asText()).contains("Ledger integrity failure");
                JsonNode discord = JSON.readTree(required(hooks.await("/discord", Duration.ofSeconds(30))));
                assertThat(discord.get("content").asText()).contains("Ledger integrity failure");
                assertThat(discord.get("embeds").get(0).get("title").asText()).isEqualTo("VERIFICATION_FAILED");

                JsonNode controls =
                        s.http.get("/v1/admin/ledger-freeze", s.service).json();
                assertThat(controls.get("frozen").asBoolean()).isTrue();
                assertThat(controls.get("actor").asText()).isEqualTo("tally-audit");
                Response refused = s.http.post("/v1/transfers", s.service, transfer("t3", alice, bob, "1.00"));
                assertThat(refused.status()).isEqualTo(423);
                assertThat(refused.code()).isEqualTo("LEDGER_FROZEN");

                assertThat(s.http.delete("/v1/admin/ledger-freeze", s.admin)
                                .json()
                                .get("frozen")
                                .asBoolean())
                        .isFalse();
                assertThat(s.http.post("/v1/transfers", s.service, transfer("t3", alice, bob, "1.00"))
                                .status())
                        .isEqualTo(201);
                // The chain is still broken: new money stays refused until someone repairs it. Only the failed
                // verification run is recorded; the ledger itself is untouched.
                String beforeMint = s.dumpWithout("verification_runs");
                Response mint = s.http.post(
                        "/v1/mint",
                        s.admin,
                        "{\"transaction_id\":\"m9\",\"receiver_id\":\"bob\",\"currency\":\"EUR\",\"amount\":\"1.00\"}");
                assertThat(mint.status()).isEqualTo(503);
                assertThat(mint.code()).isEqualTo("INTEGRITY_UNVERIFIED");
                assertThat(s.dumpWithout("verification_runs")).isEqualTo(beforeMint);

                List<String> actions = new ArrayList<>();
                s.http.get("/v1/admin/actions", s.auditor)
                        .json()
                        .get("actions")
                        .forEach(a -> actions.add(a.get("action").asText() + ":"
                                + a.get("key_name").asText()));
                assertThat(actions).contains("LEDGER_FREEZE:tally-audit", "LEDGER_UNFREEZE:bootstrap-admin");
            }
        }
    }

    @Test
    void theWeeklyFullVerificationCatchesAnOldTamperingAndTheAlertPolicyLeavesTheLedgerOpen() throws Exception {
        try (WebhookReceiver hooks = new WebhookReceiver()) {
            SettableClock clock = new SettableClock(Instant.parse("2026-03-08T02:59:00Z")); // a Sunday
            // With an anchor key, as in production: without one the daily run would be a full one.
            AuditConfig config = audit(
                            hooks, AuditConfig.FailurePolicy.ALERT, "UTC", Duration.ofSeconds(30), List.of("/generic"))
                    .withAnchorKey(AnchorKeyFile.generate(dir));
            try (Running s = Running.start(StoreKind.SQLITE, c -> c.withAudit(config), clock)) {
                String alice = s.account("alice");
                String bob = s.account("bob");
                s.mint(alice, "100.00");
                assertThat(s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "10.00"))
                                .status())
                        .isEqualTo(201);
                assertThat(s.http.post("/v1/transfers", s.service, transfer("t2", alice, bob, "1.00"))
                                .status())
                        .isEqualTo(201);
                int runsBefore = runs(s).size();
                clock.set(Instant.parse("2026-03-08T03:00:01Z"));
                await(() -> runs(s).size() >= runsBefore + 2, "the daily audit ran");
                assertThat(hooks.pending("/generic")).isZero();

                // t1 is now behind the incremental anchor (t2): only a full verification looks at it again.
                tamper(s, "t1");
                Response incremental = s.http.post("/v1/audit/verify?mode=incremental", s.auditor, null);
                assertThat(incremental.json().get("valid").asBoolean()).isTrue();

                clock.set(Instant.parse("2026-03-08T04:00:01Z"));
                JsonNode alert = JSON.readTree(required(hooks.await("/generic", Duration.ofSeconds(60))));
                assertThat(alert.get("kind").asText()).isEqualTo("VERIFICATION_FAILED");
                assertThat(alert.get("details").get("mode").asText()).isEqualTo("full");
                assertThat(alert.get("action").asText()).contains("alert only");
                assertThat(s.http.get("/v1/admin/ledger-freeze", s.service)
                                .json()
                                .get("frozen")
                                .asBoolean())
                        .isFalse();
                Response full = s.http.post("/v1/audit/verify?mode=full", s.admin, null);
                assertThat(full.status()).isEqualTo(200);
                assertThat(full.json().get("valid").asBoolean()).isFalse();
                assertThat(full.json().get("security_recommendation").asText()).isNotBlank();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aVerificationAskedForThroughTheApiThatFindsTamperingAlertsAndFreezesTheLedger(StoreKind kind)
            throws Exception {
        try (WebhookReceiver hooks = new WebhookReceiver()) {
            SettableClock clock = new SettableClock(Instant.parse("2026-03-02T12:00:00Z"));
            AuditConfig config =
                    audit(hooks, AuditConfig.FailurePolicy.FREEZE, "UTC", Duration.ofSeconds(30), List.of("/generic"));
            try (Running s = Running.start(kind, c -> c.withAudit(config), clock)) {
                String alice = s.account("alice");
                String bob = s.account("bob");
                s.mint(alice, "100.00");
                assertThat(s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "10.00"))
                                .status())
                        .isEqualTo(201);
                assertThat(s.http.post("/v1/audit/verify", s.auditor, null)
                                .json()
                                .get("valid")
                                .asBoolean())
                        .isTrue();
                assertThat(hooks.pending("/generic")).isZero();

                tamper(s, "t1");
                Response report = s.http.post("/v1/audit/verify", s.auditor, null);

                assertThat(report.status()).isEqualTo(200);
                assertThat(report.json().get("valid").asBoolean()).isFalse();
                JsonNode alert = JSON.readTree(required(hooks.await("/generic", Duration.ofSeconds(30))));
                assertThat(alert.get("kind").asText()).isEqualTo("VERIFICATION_FAILED");
                assertThat(alert.get("message").asText()).contains("auditor");
                JsonNode controls =
                        s.http.get("/v1/admin/ledger-freeze", s.service).json();
                assertThat(controls.get("frozen").asBoolean()).isTrue();
                assertThat(s.http.post("/v1/transfers", s.service, transfer("t2", alice, bob, "1.00"))
                                .status())
                        .isEqualTo(423);
            }
        }
    }

    @Test
    void aSlowVerificationAlertsAndAWebhookThatFailsIsRetried() throws Exception {
        try (WebhookReceiver hooks = new WebhookReceiver()) {
            hooks.failFirst("/generic", 2);
            AuditConfig config =
                    audit(hooks, AuditConfig.FailurePolicy.FREEZE, "UTC", Duration.ofNanos(1), List.of("/generic"));
            try (Running s = Running.start(
                    StoreKind.SQLITE,
                    c -> c.withAudit(config),
                    new SettableClock(Instant.parse("2026-03-02T10:00:00Z")))) {
                String alice = s.account("alice");
                s.mint(alice, "1.00");
                Response report = s.http.post("/v1/audit/verify?mode=full", s.auditor, null);
                assertThat(report.status()).isEqualTo(200);
                assertThat(report.json().get("valid").asBoolean()).isTrue();
                assertThat(report.json().get("mode").asText()).isEqualTo("full");
                assertThat(report.json().has("verification_time_ms")).isTrue();
                JsonNode alert = JSON.readTree(required(hooks.await("/generic", Duration.ofSeconds(30))));
                assertThat(alert.get("kind").asText()).isEqualTo("SLOW_VERIFICATION");
                assertThat(alert.get("severity").asText()).isEqualTo("warning");
                assertThat(hooks.attempts("/generic")).isGreaterThanOrEqualTo(3);
                Response reconcile = s.http.post("/v1/audit/reconcile", s.auditor, null);
                assertThat(reconcile.json().get("valid").asBoolean()).isTrue();
                assertThat(s.http.get("/v1/audit/runs", s.auditor)
                                .json()
                                .get("runs")
                                .size())
                        .isGreaterThanOrEqualTo(2);
                assertThat(s.http.get("/metrics", s.auditor).body()).contains("tally_verification_seconds_count");
            }
        }
    }

    @Test
    void theScheduleFollowsTheConfiguredTimeZone() {
        try (WebhookReceiver hooks = new WebhookReceiver()) {
            SettableClock clock = new SettableClock(Instant.parse("2026-01-10T00:00:00Z")); // a Saturday, CET = UTC+1
            AuditConfig config =
                    audit(hooks, AuditConfig.FailurePolicy.FREEZE, "Europe/Berlin", Duration.ofSeconds(30), List.of());
            try (Running s = Running.start(StoreKind.SQLITE, c -> c.withAudit(config), clock)) {
                var next = s.server.scheduler().orElseThrow().nextRuns();
                assertThat(next.get("daily")).isEqualTo(Instant.parse("2026-01-10T02:00:00Z"));
                assertThat(next.get("full")).isEqualTo(Instant.parse("2026-01-11T03:00:00Z"));
            }
        }
    }

    private static List<JsonNode> runs(Running s) {
        List<JsonNode> runs = new ArrayList<>();
        s.http.get("/v1/audit/runs?limit=100", s.auditor).json().get("runs").forEach(runs::add);
        return runs;
    }

    /** Changes a stored entry behind the ledger's back, as an attacker with database access would. */
    private static void tamper(Running s, String transactionId) throws Exception {
        assertThat(StoreSql.execute(
                        s.store(),
                        "UPDATE ledger_entries SET amount_net = amount_net + 100 WHERE transaction_id = ?",
                        transactionId))
                .isEqualTo(1);
    }

    private static String required(String body) {
        assertThat(body).as("a webhook delivery arrived").isNotNull();
        return body;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}

package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.fraud.RuleSettings;
import dev.tally.server.config.AuditConfig;
import dev.tally.server.config.Webhook;
import dev.tally.store.testing.StoreKind;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fraud shield in {@code tally serve}: off by default, and with the configured limits when set. */
class FraudShieldApiTest {
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAccountPastTheConfiguredVelocityIsFrozenForFraudAndItsPaymentRefused(StoreKind kind) {
        try (Running s =
                Running.start(kind, c -> c.withFraud(new FraudPolicy(2, Duration.ofMinutes(1), Long.MAX_VALUE)))) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "100.00");
            assertThat(s.http.post("/v1/transfers", s.service, transfer("f1", alice, bob, "1.00"))
                            .status())
                    .isEqualTo(201);
            assertThat(s.http.post("/v1/transfers", s.service, transfer("f2", alice, bob, "1.00"))
                            .status())
                    .isEqualTo(201);

            Response third = s.http.post("/v1/transfers", s.service, transfer("f3", alice, bob, "1.00"));

            assertThat(third.status()).isEqualTo(423);
            assertThat(third.code()).isEqualTo("ACCOUNT_FROZEN");
            JsonNode account = s.http.get("/v1/accounts/" + alice, s.service).json();
            assertThat(account.get("is_frozen_for_fraud").asBoolean()).isTrue();
            assertThat(s.http.get("/v1/transactions/f3", s.service).status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutAFraudSectionTheShieldNeverFreezes(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "100.00");
            for (int i = 0; i < 20; i++) {
                assertThat(s.http.post("/v1/transfers", s.service, transfer("n" + i, alice, bob, "1.00"))
                                .status())
                        .isEqualTo(201);
            }
            assertThat(s.http.get("/v1/accounts/" + alice, s.service)
                            .json()
                            .get("is_frozen_for_fraud")
                            .asBoolean())
                    .isFalse();
        }
    }

    private static FraudPolicy oneAPayment(FraudAction action) {
        return FraudPolicy.disabled()
                .withVelocityCount(new RuleSettings.VelocityCount(true, 1, Duration.ofMinutes(10), action));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void flaggedEventsAreListedAndAnAdminResolvesThem(StoreKind kind) {
        try (Running s = Running.start(kind, c -> c.withFraud(oneAPayment(FraudAction.FLAG)))) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "100.00");
            s.http.post("/v1/transfers", s.service, transfer("g1", alice, bob, "1.00"));
            assertThat(s.http.post("/v1/transfers", s.service, transfer("g2", alice, bob, "1.00"))
                            .status())
                    .as("a flag commits the payment")
                    .isEqualTo(201);

            assertThat(s.http.get("/v1/fraud/events?status=open", s.service).status())
                    .isEqualTo(403);
            JsonNode page =
                    s.http.get("/v1/fraud/events?status=open", s.auditor).json();
            assertThat(page.get("events")).hasSize(1);
            JsonNode event = page.get("events").get(0);
            assertThat(event.get("rule").asText()).isEqualTo("velocity_count");
            assertThat(event.get("account_id").asText()).isEqualTo(alice);
            assertThat(event.get("transaction_ids").get(0).asText()).isEqualTo("g2");
            String id = event.get("id").asText();

            assertThat(s.http.post("/v1/fraud/events/" + id + "/resolve", s.auditor, "{\"action\":\"confirm\"}")
                            .status())
                    .isEqualTo(403);
            Response resolved = s.http.post("/v1/fraud/events/" + id + "/resolve", s.admin, "{\"action\":\"confirm\"}");
            assertThat(resolved.status()).isEqualTo(200);
            assertThat(resolved.json().get("status").asText()).isEqualTo("confirmed");
            assertThat(s.http.get("/v1/accounts/" + alice, s.service)
                            .json()
                            .get("is_frozen_for_fraud")
                            .asBoolean())
                    .isTrue();
            assertThat(s.http.get("/v1/admin/actions", s.admin).body()).contains("RESOLVE_FRAUD_EVENT");
            assertThat(s.http.get("/v1/fraud/events?status=open", s.auditor)
                            .json()
                            .get("events"))
                    .isEmpty();
            Response again = s.http.post("/v1/fraud/events/" + id + "/resolve", s.admin, "{\"action\":\"release\"}");
            assertThat(again.status()).isEqualTo(422);
            assertThat(s.http.post("/v1/fraud/events/999/resolve", s.admin, "{\"action\":\"dismiss\"}")
                            .status())
                    .isEqualTo(404);
            assertThat(s.http.get("/metrics", s.admin).body())
                    .contains("tally_fraud_triggers_total{rule=\"velocity_count\"")
                    .doesNotContain("tally_fraud_rejections_total{rule=\"velocity_count\"");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRejectedPaymentIsRefusedWithFraudSuspected(StoreKind kind) {
        try (Running s = Running.start(kind, c -> c.withFraud(oneAPayment(FraudAction.REJECT)))) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "100.00");
            s.http.post("/v1/transfers", s.service, transfer("r1", alice, bob, "1.00"));

            Response refused = s.http.post("/v1/transfers", s.service, transfer("r2", alice, bob, "1.00"));

            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.code()).isEqualTo("FRAUD_SUSPECTED");
            assertThat(s.http.get("/v1/transactions/r2", s.service).status()).isEqualTo(404);
            assertThat(s.http.get("/metrics", s.admin).body())
                    .contains("tally_fraud_rejections_total{rule=\"velocity_count\"");
        }
    }

    @Test
    void aFreezeSendsAnAlertThroughTheConfiguredWebhook() throws Exception {
        try (WebhookReceiver hooks = new WebhookReceiver()) {
            AuditConfig audit = new AuditConfig(
                    false,
                    "0 3 * * *",
                    "0 4 * * 0",
                    ZoneId.of("UTC"),
                    AuditConfig.FailurePolicy.ALERT,
                    false,
                    Duration.ofSeconds(30),
                    100_000,
                    0.05,
                    5,
                    Duration.ofMinutes(5),
                    List.of(new Webhook(URI.create(hooks.url("/generic")), Webhook.Format.GENERIC)),
                    Duration.ofSeconds(2),
                    1,
                    Duration.ofMillis(20),
                    Optional.empty(),
                    Optional.empty());
            try (Running s = Running.start(
                    StoreKind.SQLITE, c -> c.withAudit(audit).withFraud(oneAPayment(FraudAction.FREEZE)))) {
                String alice = s.account("alice");
                String bob = s.account("bob");
                s.mint(alice, "100.00");
                s.http.post("/v1/transfers", s.service, transfer("z1", alice, bob, "1.00"));
                assertThat(s.http.post("/v1/transfers", s.service, transfer("z2", alice, bob, "1.00"))
                                .code())
                        .isEqualTo("ACCOUNT_FROZEN");

                String body = hooks.await("/generic", Duration.ofSeconds(20));
                assertThat(body).as("the freeze alert arrived").isNotNull();
                JsonNode alert = new ObjectMapper().readTree(body);
                assertThat(alert.get("kind").asText()).isEqualTo("FRAUD_FREEZE");
                assertThat(alert.get("details").get("account_id").asText()).isEqualTo(alice);
                assertThat(s.http.get("/metrics", s.admin).body())
                        .contains("tally_fraud_freezes_total{rule=\"velocity_count\"");
            }
        }
    }
}

package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.fraud.RuleSettings;
import dev.tally.store.testing.StoreKind;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A payment a {@code hold} rule stops, through the API: 202, held pending review, resolved by an admin. */
class FraudHoldApiTest {
    private static FraudPolicy holdTheSecondPayment() {
        return FraudPolicy.disabled()
                .withVelocityCount(new RuleSettings.VelocityCount(true, 1, Duration.ofMinutes(10), FraudAction.HOLD));
    }

    /** Two accounts and the answer to the payment between them that was held. */
    private record Held(String alice, String bob, Response answer) {}

    /** Alice pays bob h1 (written) and then h2, which is held. */
    private static Held holdOne(Running s) {
        String alice = s.account("alice");
        String bob = s.account("bob");
        s.mint(alice, "100.00");
        assertThat(s.http.post("/v1/transfers", s.service, transfer("h1", alice, bob, "1.00"))
                        .status())
                .isEqualTo(201);
        return new Held(alice, bob, s.http.post("/v1/transfers", s.service, transfer("h2", alice, bob, "1.00")));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHeldPaymentAnswers202WithItsPendingTransferAndEvent(StoreKind kind) {
        try (Running s = Running.start(kind, c -> c.withFraud(holdTheSecondPayment()))) {
            Response held = holdOne(s).answer();

            assertThat(held.status()).isEqualTo(202);
            JsonNode body = held.json();
            assertThat(body.get("outcome").asText()).isEqualTo("held");
            assertThat(body.get("message").asText()).contains("held pending fraud review");
            assertThat(body.get("pending_transaction_id").asText()).isEqualTo("h2");
            assertThat(body.get("rule").asText()).isEqualTo("velocity_count");
            assertThat(body.get("replayed").asBoolean()).isFalse();
            assertThat(body.get("entry").get("type").asText()).isEqualTo("PENDING");
            JsonNode event = s.http.get("/v1/fraud/events?status=open", s.auditor)
                    .json()
                    .get("events")
                    .get(0);
            assertThat(body.get("fraud_event_id").asLong())
                    .isEqualTo(event.get("id").asLong());
            assertThat(event.get("action").asText()).isEqualTo("hold");
            assertThat(event.get("pending_transaction_id").asText()).isEqualTo("h2");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aResendOfAHeldPaymentAnswersTheSameHold(StoreKind kind) {
        try (Running s = Running.start(kind, c -> c.withFraud(holdTheSecondPayment()))) {
            Held held = holdOne(s);
            Response first = held.answer();

            Response again = s.http.post("/v1/transfers", s.service, transfer("h2", held.alice(), held.bob(), "1.00"));

            assertThat(again.status()).isEqualTo(202);
            assertThat(again.json().get("replayed").asBoolean()).isTrue();
            assertThat(again.json().get("fraud_event_id"))
                    .isEqualTo(first.json().get("fraud_event_id"));
            assertThat(again.json().get("entry")).isEqualTo(first.json().get("entry"));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theClientCannotPostItsHeldPayment(StoreKind kind) {
        try (Running s = Running.start(kind, c -> c.withFraud(holdTheSecondPayment()))) {
            holdOne(s);

            Response post = s.http.post("/v1/transfers/h2/post", s.service, "{}");

            assertThat(post.status()).isEqualTo(422);
            assertThat(post.code()).isEqualTo("FRAUD_SUSPECTED");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void releasingTheHoldPostsThePaymentAndSaysSo(StoreKind kind) {
        try (Running s = Running.start(kind, c -> c.withFraud(holdTheSecondPayment()))) {
            long event = holdOne(s).answer().json().get("fraud_event_id").asLong();

            Response resolved =
                    s.http.post("/v1/fraud/events/" + event + "/resolve", s.admin, "{\"action\":\"release\"}");

            assertThat(resolved.status()).isEqualTo(200);
            assertThat(resolved.json().get("status").asText()).isEqualTo("released");
            assertThat(resolved.json().get("effect").asText()).contains("posted");
            assertThat(s.http.get("/v1/transactions/hold-post-h2", s.service)
                            .json()
                            .get("type")
                            .asText())
                    .isEqualTo("POST_PENDING");
            assertThat(s.http.get("/metrics", s.admin).body())
                    .contains("tally_fraud_holds_total{rule=\"velocity_count\"");
        }
    }
}

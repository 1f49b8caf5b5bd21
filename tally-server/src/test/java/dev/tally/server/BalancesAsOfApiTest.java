package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.testing.StoreKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GET /v1/accounts/{id}/balances?as_of=SEQ|TIME: the balances just after a past point, and typed refusals. */
class BalancesAsOfApiTest {
    private static final String HOLD = "{\"transaction_id\":\"hold-1\",\"type\":\"PURCHASE\",\"sender_id\":\"alice\","
            + "\"receiver_id\":\"bob\",\"currency\":\"EUR\",\"amount\":\"30.00\",\"pending\":true,"
            + "\"timeout_seconds\":600}";

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void balancesAsOfASeqShowWhatWasAvailableAndPendingJustAfterIt(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            s.account("bob");
            s.mint(alice, "100.00");
            Response hold = s.http.post("/v1/transfers", s.service, HOLD);
            assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
            long holdSeq = hold.json().get("seq").asLong();
            assertThat(s.http.post("/v1/transfers/hold-1/void", s.service, "").status())
                    .isEqualTo(201);

            JsonNode then = s.http.get("/v1/accounts/alice/balances?as_of=" + holdSeq, s.service)
                    .json();
            assertThat(then.get("as_of_seq").asLong()).isEqualTo(holdSeq);
            assertThat(then.get("available").get("EUR").asText()).isEqualTo("70.00");
            assertThat(then.get("pending_out").get("EUR").asText()).isEqualTo("30.00");
            JsonNode before = s.http.get("/v1/accounts/alice/balances?as_of=" + (holdSeq - 1), s.service)
                    .json();
            assertThat(before.get("available").get("EUR").asText()).isEqualTo("100.00");
            assertThat(before.get("pending_out").get("EUR").asText()).isEqualTo("0.00");
            JsonNode now = s.http.get(
                            "/v1/accounts/alice/balances?as_of="
                                    + URLEncoder.encode(Instant.now().toString(), StandardCharsets.UTF_8),
                            s.service)
                    .json();
            assertThat(now.get("available").get("EUR").asText()).isEqualTo("100.00");
            assertThat(now.get("pending_out").get("EUR").asText()).isEqualTo("0.00");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aMalformedAsOfIsA400AndAPointNotReachedA422(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            s.mint(alice, "100.00");
            Response malformed = s.http.get("/v1/accounts/alice/balances?as_of=yesterday", s.service);
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.code()).isEqualTo("BAD_REQUEST");
            Response ahead = s.http.get("/v1/accounts/alice/balances?as_of=999999", s.service);
            assertThat(ahead.status()).isEqualTo(422);
            assertThat(ahead.code()).isEqualTo("VALIDATION_FAILED");
            Response future = s.http.get("/v1/accounts/alice/balances?as_of=2999-01-01T00:00:00Z", s.service);
            assertThat(future.status()).isEqualTo(422);
            assertThat(future.code()).isEqualTo("VALIDATION_FAILED");
        }
    }
}

package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ledger.testing.Invariants;
import dev.tally.store.testing.StoreKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pending transfers and metadata over HTTP: the documented bodies, answers and error codes. */
class PendingAndMetadataApiTest {
    private static final String HOLD = "{\"transaction_id\":\"hold-1\",\"type\":\"PURCHASE\",\"sender_id\":\"alice\","
            + "\"receiver_id\":\"bob\",\"currency\":\"EUR\",\"amount\":\"30.00\",\"pending\":true,"
            + "\"timeout_seconds\":600,\"metadata\":{\"order_id\":\"A-1\"}}";

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPendingPurchaseIsPostedInPartAndTheBalancesShowWhatIsReserved(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            s.account("bob");
            s.mint(alice, "100.00");
            Response hold = s.http.post("/v1/transfers", s.service, HOLD);
            assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
            assertThat(hold.json().get("type").asText()).isEqualTo("PENDING");
            assertThat(hold.json().get("metadata").get("order_id").asText()).isEqualTo("A-1");
            assertThat(hold.json().get("metadata").has("tally.expires_at")).isTrue();

            JsonNode balances =
                    s.http.get("/v1/accounts/alice/balances", s.service).json();
            assertThat(balances.get("available").get("EUR").asText()).isEqualTo("70.00");
            assertThat(balances.get("pending_out").get("EUR").asText()).isEqualTo("30.00");
            JsonNode bob = s.http.get("/v1/accounts/bob/balances", s.service).json();
            assertThat(bob.get("pending_in").get("EUR").asText()).isEqualTo("30.00");

            Response post = s.http.post("/v1/transfers/hold-1/post", s.service, "{\"amount\":\"20.00\"}");
            assertThat(post.status()).as(post.toString()).isEqualTo(201);
            assertThat(post.json().get("type").asText()).isEqualTo("POST_PENDING");
            assertThat(post.json().get("tax_withheld").asText()).isEqualTo("4.00");
            assertThat(post.json().get("reverses_transaction_id").asText()).isEqualTo("hold-1");

            String before = s.dump();
            Response again = s.http.post("/v1/transfers/hold-1/void", s.service, "");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.code()).isEqualTo("PENDING_ALREADY_POSTED");
            assertThat(s.dump()).isEqualTo(before);
            assertThat(s.http.get("/v1/accounts/alice/balances", s.service)
                            .json()
                            .get("available")
                            .get("EUR")
                            .asText())
                    .isEqualTo("80.00");
            Invariants.assertHold(s.server.ledger());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void historyFiltersOnOneMetadataPairAndRefusesBadMetadata(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            s.account("bob");
            s.mint(alice, "100.00");
            assertThat(s.http.post("/v1/transfers", s.service, HOLD).status()).isEqualTo(201);
            assertThat(s.http.post("/v1/transfers/hold-1/void", s.service, "").status())
                    .isEqualTo(201);

            JsonNode page = s.http.get("/v1/accounts/alice/history?metadata.order_id=A-1", s.service)
                    .json();
            assertThat(page.get("entries")).hasSize(1);
            assertThat(page.get("entries").get(0).get("transaction_id").asText())
                    .isEqualTo("hold-1");

            String before = s.dump();
            Response bad = s.http.post(
                    "/v1/transfers",
                    s.service,
                    HOLD.replace("hold-1", "hold-2").replace("\"order_id\"", "\"order id\""));
            assertThat(bad.code()).isEqualTo("VALIDATION_FAILED");
            assertThat(s.dump()).isEqualTo(before);
        }
    }
}

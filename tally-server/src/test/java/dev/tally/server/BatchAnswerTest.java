package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.store.testing.StoreKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The answer to a batch of transfers, field by field: the same shape and the same entry documents as the
 * single-transfer routes give, whether an item was created, replayed, invalid or refused.
 */
class BatchAnswerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBatchAnswerListsItsCountsThenOneResultPerItemInOrder() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "2.00");
            String batch =
                    "{\"transfers\":[" + transfer("c1", alice, bob, "1.00") + "," + transfer("c2", alice, bob, "abc")
                            + "," + transfer("c3", alice, bob, "5.00") + ",{\"type\":\"TRANSFER\"}]}";

            Response r = s.http.post("/v1/transfers/batch", s.service, batch);

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode answer = r.json();
            assertThat(names(answer)).containsExactly("linked", "succeeded", "failed", "results");
            assertThat(answer.get("linked").asBoolean()).isFalse();
            assertThat(answer.get("succeeded").asInt()).isEqualTo(1);
            assertThat(answer.get("failed").asInt()).isEqualTo(3);
            JsonNode results = answer.get("results");
            assertThat(names(results.get(0))).containsExactly("index", "transaction_id", "status", "outcome", "entry");
            assertThat(results.get(0).get("outcome").asText()).isEqualTo("created");
            for (int i = 1; i < 4; i++) {
                assertThat(names(results.get(i)))
                        .containsExactly("index", "transaction_id", "status", "outcome", "error");
                assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
                assertThat(results.get(i).get("outcome").asText()).isEqualTo("rejected");
            }
            assertThat(results.get(1).get("error").get("code").asText()).isEqualTo("VALIDATION_FAILED");
            assertThat(results.get(2).get("error").get("code").asText()).isEqualTo("INSUFFICIENT_FUNDS");
            assertThat(results.get(3).get("transaction_id").isNull()).isTrue();
        }
    }

    @Test
    void anEntryInABatchAnswerIsTheDocumentItsTransactionRouteAnswers() throws Exception {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "10.00");
            String batch = "{\"transfers\":[" + transfer("e1", alice, bob, "1.00") + ","
                    + transfer("e2", "bob", "alice", "0.50") + "]}";

            Response r = s.http.post("/v1/transfers/batch", s.service, batch);

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                JsonNode entry = r.json().get("results").get(i).get("entry");
                String id = entry.get("transaction_id").asText();
                assertThat(JSON.writeValueAsString(entry))
                        .isEqualTo(
                                s.http.get("/v1/transactions/" + id, s.auditor).body());
            }
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

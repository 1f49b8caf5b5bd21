package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ledger.testing.Invariants;
import dev.tally.store.testing.StoreKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Transfers, batches, mint, burn, reversal, treasury, supply and the ledger freeze over real HTTP. */
class MoneyApiTest {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTransferAnswers201WithTheEntryAndAReplayAnswers200WithTheSameBody(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            s.account("bob");
            s.mint(alice, "100.00");
            String body =
                    "{\"transaction_id\":\"order-1\",\"type\":\"PURCHASE\",\"sender_id\":\"alice\",\"receiver_id\":\"bob\","
                            + "\"currency\":\"EUR\",\"amount\":\"10.00\"}";
            Response first =
                    s.http.send("POST", "/v1/transfers", s.service, body, Map.of("User-Agent", "game-server/1.2"));
            assertThat(first.status()).as(first.toString()).isEqualTo(201);
            JsonNode e = first.json();
            assertThat(e.get("transaction_id").asText()).isEqualTo("order-1");
            assertThat(e.get("seq").asLong()).isPositive();
            assertThat(e.get("amount_gross").asText()).isEqualTo("10.00");
            assertThat(e.get("tax_withheld").asText()).isEqualTo("2.00");
            assertThat(e.get("amount_net").asText()).isEqualTo("8.00");
            assertThat(e.get("current_hash").asText()).matches("[0-9a-f]{64}");
            assertThat(e.get("type").asText()).isEqualTo("PURCHASE");
            assertThat(e.get("actor").asText()).isEqualTo("game-backend");
            assertThat(e.get("ip_address").asText()).isEqualTo("127.0.0.1");
            assertThat(e.get("user_agent").asText()).isEqualTo("game-server/1.2");
            assertThat(first.header("Location")).contains("/v1/transactions/order-1");

            String before = s.dump();
            Response replay = s.http.send("POST", "/v1/transfers", s.service, body, Map.of("User-Agent", "retry/9"));
            assertThat(replay.status()).isEqualTo(200);
            assertThat(replay.body()).isEqualTo(first.body());
            assertThat(s.dump()).isEqualTo(before);

            Response other = s.http.post("/v1/transfers", s.service, body.replace("10.00", "11.00"));
            assertThat(other.status()).isEqualTo(409);
            assertThat(other.code()).isEqualTo("DUPLICATE_TRANSACTION");
            assertThat(s.dump()).isEqualTo(before);

            assertThat(s.http.get("/v1/transactions/order-1", s.auditor).body()).isEqualTo(first.body());
            Invariants.assertHold(s.server.ledger());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theIdempotencyKeyHeaderIsAnAliasOfTransactionId(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "5.00");
            String body = "{\"sender_id\":\"" + alice + "\",\"receiver_id\":\"" + bob
                    + "\",\"currency\":\"EUR\",\"amount\":\"1.00\"}";
            Response first = s.http.send("POST", "/v1/transfers", s.service, body, Map.of("Idempotency-Key", "key-77"));
            assertThat(first.status()).as(first.toString()).isEqualTo(201);
            assertThat(first.json().get("transaction_id").asText()).isEqualTo("key-77");
            assertThat(first.json().get("type").asText()).isEqualTo("TRANSFER");
            Response again = s.http.send("POST", "/v1/transfers", s.service, body, Map.of("Idempotency-Key", "key-77"));
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.body()).isEqualTo(first.body());
            String before = s.dump();
            Response disagree = s.http.send(
                    "POST",
                    "/v1/transfers",
                    s.service,
                    body.replace("{", "{\"transaction_id\":\"other\","),
                    Map.of("Idempotency-Key", "key-77"));
            assertThat(disagree.status()).isEqualTo(422);
            assertThat(disagree.json().get("field").asText()).isEqualTo("transaction_id");
            assertThat(s.dump()).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBatchAnswersPerItemAndARetryReplaysEveryItem(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "3.00");
            String batch = "{\"transfers\":[" + transfer("b1", alice, bob, "1.00") + ","
                    + transfer("b2", alice, bob, "1.00") + "," + transfer("b3", alice, bob, "5.00") + ","
                    + transfer("b4", alice, bob, "1.00") + "]}";
            Response r = s.http.post("/v1/transfers/batch", s.service, batch);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode results = r.json().get("results");
            assertThat(r.json().get("succeeded").asInt()).isEqualTo(3);
            assertThat(r.json().get("failed").asInt()).isEqualTo(1);
            assertThat(results.get(0).get("status").asInt()).isEqualTo(201);
            assertThat(results.get(2).get("status").asInt()).isEqualTo(422);
            assertThat(results.get(2).get("error").get("code").asText()).isEqualTo("INSUFFICIENT_FUNDS");
            assertThat(results.get(3).get("entry").get("transaction_id").asText())
                    .isEqualTo("b4");

            String before = s.dump();
            Response retry = s.http.post("/v1/transfers/batch", s.service, batch);
            assertThat(retry.status()).isEqualTo(200);
            JsonNode again = retry.json().get("results");
            for (int i : new int[] {0, 1, 3}) {
                assertThat(again.get(i).get("status").asInt()).isEqualTo(200);
                assertThat(again.get(i).get("outcome").asText()).isEqualTo("replayed");
                assertThat(again.get(i).get("entry")).isEqualTo(results.get(i).get("entry"));
            }
            assertThat(again.get(2).get("error").get("code").asText()).isEqualTo("INSUFFICIENT_FUNDS");
            assertThat(s.dump()).isEqualTo(before);
            Invariants.assertHold(s.server.ledger());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aLinkedBatchWithOneFailingTransferFailsAsAWholeAndWritesNothing(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "3.00");
            String before = s.dump();
            String batch = "{\"linked\":true,\"transfers\":[" + transfer("l1", alice, bob, "1.00") + ","
                    + transfer("l2", alice, bob, "5.00") + "," + transfer("l3", alice, bob, "1.00") + "]}";
            Response r = s.http.post("/v1/transfers/batch", s.service, batch);
            assertThat(r.status()).as(r.toString()).isEqualTo(422);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.code()).isEqualTo("LINKED_EVENT_FAILED");
            assertThat(r.json().get("detail").asText()).contains("#1").contains("INSUFFICIENT_FUNDS");
            JsonNode results = r.json().get("results");
            assertThat(results.get(1).get("error").get("code").asText()).isEqualTo("INSUFFICIENT_FUNDS");
            assertThat(results.get(0).get("error").get("code").asText()).isEqualTo("LINKED_EVENT_FAILED");
            assertThat(results.get(2).get("error").get("code").asText()).isEqualTo("LINKED_EVENT_FAILED");
            assertThat(s.dump()).isEqualTo(before);

            // An invalid item (bad amount) fails the linked batch before anything reaches the ledger.
            String invalid = "{\"linked\":true,\"transfers\":[" + transfer("l1", alice, bob, "1.00") + ","
                    + transfer("l2", alice, bob, "1.001") + "]}";
            Response bad = s.http.post("/v1/transfers/batch", s.service, invalid);
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.json()
                            .get("results")
                            .get(1)
                            .get("error")
                            .get("field")
                            .asText())
                    .isEqualTo("transfers[1].amount");
            assertThat(s.dump()).isEqualTo(before);

            Response ok = s.http.post("/v1/transfers/batch", s.service, batch.replace("5.00", "1.00"));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().get("succeeded").asInt()).isEqualTo(3);
            Invariants.assertHold(s.server.ledger());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void mintBurnAndReversalAreAdminActionsRecordedWithTheKeyName(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            Response mint = s.http.post(
                    "/v1/mint",
                    s.admin,
                    "{\"transaction_id\":\"m1\",\"receiver_id\":\"alice\",\"currency\":\"EUR\",\"amount\":\"50.00\"}");
            assertThat(mint.status()).isEqualTo(201);
            assertThat(mint.json().get("type").asText()).isEqualTo("MINT");
            assertThat(mint.json().get("actor").asText()).isEqualTo("bootstrap-admin");
            Response burn = s.http.post(
                    "/v1/burn",
                    s.admin,
                    "{\"transaction_id\":\"b1\",\"sender_id\":\"" + alice
                            + "\",\"currency\":\"EUR\",\"amount\":\"5.00\"}");
            assertThat(burn.status()).isEqualTo(201);
            assertThat(s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "10.00"))
                            .status())
                    .isEqualTo(201);
            Response reversal = s.http.post(
                    "/v1/reversals", s.admin, "{\"transaction_id\":\"r1\",\"original_transaction_id\":\"t1\"}");
            assertThat(reversal.status()).as(reversal.toString()).isEqualTo(201);
            assertThat(reversal.json().get("reverses_transaction_id").asText()).isEqualTo("t1");
            Response again = s.http.post(
                    "/v1/reversals", s.admin, "{\"transaction_id\":\"r2\",\"original_transaction_id\":\"t1\"}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.code()).isEqualTo("ALREADY_REVERSED");

            JsonNode supply = s.http.get("/v1/supply", s.auditor).json();
            assertThat(supply.get("currencies")).hasSize(1);
            JsonNode eur = supply.get("currencies").get(0);
            assertThat(eur.get("currency").asText()).isEqualTo("EUR");
            assertThat(eur.get("minted").asText()).isEqualTo("50.00");
            assertThat(eur.get("burned").asText()).isEqualTo("5.00");
            assertThat(eur.get("circulating").asText()).isEqualTo("45.00");
            assertThat(eur.get("conserved").asBoolean()).isTrue();
            JsonNode treasury = s.http.get("/v1/treasury", s.service).json();
            assertThat(treasury.get("tax_totals").get("EUR").get("TRANSFER_TAX").asText())
                    .isEqualTo("0.00");

            List<String> actions = new java.util.ArrayList<>();
            s.http.get("/v1/admin/actions", s.admin)
                    .json()
                    .get("actions")
                    .forEach(a -> actions.add(a.get("action").asText()));
            assertThat(actions).contains("MINT", "BURN", "REVERSE");
            Invariants.assertHold(s.server.ledger());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theLedgerFreezeStopsMoneyUntilAnAdminLiftsIt(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "5.00");
            Response freeze = s.http.post("/v1/admin/ledger-freeze", s.admin, "{\"reason\":\"investigating\"}");
            assertThat(freeze.status()).isEqualTo(200);
            assertThat(freeze.json().get("frozen").asBoolean()).isTrue();
            assertThat(freeze.json().get("actor").asText()).isEqualTo("bootstrap-admin");
            String before = s.dump();
            Response refused = s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "1.00"));
            assertThat(refused.status()).isEqualTo(423);
            assertThat(refused.code()).isEqualTo("LEDGER_FROZEN");
            assertThat(s.dump()).isEqualTo(before);
            assertThat(s.http.get("/v1/admin/ledger-freeze", s.service)
                            .json()
                            .get("frozen")
                            .asBoolean())
                    .isTrue();
            Response lift = s.http.delete("/v1/admin/ledger-freeze", s.admin);
            assertThat(lift.status()).isEqualTo(200);
            assertThat(lift.json().get("frozen").asBoolean()).isFalse();
            assertThat(s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "1.00"))
                            .status())
                    .isEqualTo(201);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void xForwardedForIsBelievedOnlyFromATrustedProxy(StoreKind kind) {
        try (Running untrusted = Running.start(kind)) {
            String alice = untrusted.account("alice");
            String bob = untrusted.account("bob");
            untrusted.mint(alice, "5.00");
            Response r = untrusted.http.send(
                    "POST",
                    "/v1/transfers",
                    untrusted.service,
                    transfer("t1", alice, bob, "1.00"),
                    Map.of("X-Forwarded-For", "203.0.113.9"));
            assertThat(r.json().get("ip_address").asText()).isEqualTo("127.0.0.1");
        }
        try (Running trusted = Running.start(kind, c -> c.withTrustedProxies(List.of("127.0.0.0/8")))) {
            String alice = trusted.account("alice");
            String bob = trusted.account("bob");
            trusted.mint(alice, "5.00");
            Response r = trusted.http.send(
                    "POST",
                    "/v1/transfers",
                    trusted.service,
                    transfer("t1", alice, bob, "1.00"),
                    Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.9"));
            assertThat(r.json().get("ip_address").asText()).isEqualTo("203.0.113.9");
        }
    }
}

package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.money.Currency;
import dev.tally.ledger.testing.Invariants;
import dev.tally.store.testing.StoreKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Account limits and currency exchange over HTTP: the documented bodies, answers and error codes. */
class LimitsAndExchangeApiTest {
    private static Running start(StoreKind kind) {
        return Running.start(kind, c -> c.withCurrencies(List.of(new Currency("GOLD", 0), new Currency("GEMS", 2))));
    }

    private static Response setLimit(Running s, String key, String account, String body, String etag) {
        return s.http.send("PUT", "/v1/accounts/" + account + "/limits/EUR", key, body, Map.of("If-Match", etag));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAdminSetsACreditLimitUnderIfMatchAndTheAccountMayThenGoBelowZero(StoreKind kind) {
        try (Running s = start(kind)) {
            String alice = s.account("alice");
            s.account("bob");
            s.mint(alice, "10.00");
            Response get = s.http.get("/v1/accounts/alice", s.admin);
            Response set = setLimit(
                    s,
                    s.admin,
                    "alice",
                    "{\"credit_limit\":\"50.00\",\"max_balance\":\"500.00\"}",
                    get.header("ETag").orElseThrow());
            assertThat(set.status()).as(set.toString()).isEqualTo(200);
            assertThat(set.json().get("limits").get("EUR").get("credit_limit").asText())
                    .isEqualTo("50.00");
            assertThat(set.json().get("version").asLong())
                    .isEqualTo(get.json().get("version").asLong() + 1);

            String before = s.dump();
            Response stale = setLimit(
                    s,
                    s.admin,
                    "alice",
                    "{\"credit_limit\":\"0\"}",
                    get.header("ETag").orElseThrow());
            assertThat(stale.status()).isEqualTo(412);
            Response missing =
                    s.http.send("PUT", "/v1/accounts/alice/limits/EUR", s.admin, "{\"credit_limit\":\"0\"}", Map.of());
            assertThat(missing.status()).isEqualTo(428);
            Response byService = setLimit(s, s.service, "alice", "{\"credit_limit\":\"999.00\"}", "*");
            assertThat(byService.status()).isEqualTo(403);
            assertThat(s.dump()).isEqualTo(before);

            Response spend = s.http.post(
                    "/v1/transfers",
                    s.service,
                    "{\"transaction_id\":\"t1\",\"sender_id\":\"alice\",\"receiver_id\":\"bob\",\"currency\":\"EUR\","
                            + "\"amount\":\"55.00\"}");
            assertThat(spend.status()).as(spend.toString()).isEqualTo(201);
            assertThat(s.http.get("/v1/accounts/alice/balances", s.service)
                            .json()
                            .get("balances")
                            .get("EUR")
                            .asText())
                    .isEqualTo("-45.00");
            String after = s.dump();
            Response over = s.http.post(
                    "/v1/transfers",
                    s.service,
                    "{\"transaction_id\":\"t2\",\"sender_id\":\"alice\",\"receiver_id\":\"bob\",\"currency\":\"EUR\","
                            + "\"amount\":\"5.01\"}");
            assertThat(over.status()).isEqualTo(422);
            assertThat(over.code()).isEqualTo("CREDIT_LIMIT_EXCEEDED");
            assertThat(s.dump()).isEqualTo(after);
            assertThat(s.http.get("/v1/admin/actions", s.admin).body()).contains("SET_ACCOUNT_LIMIT");
            Invariants.assertHold(s.server.ledger());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExchangeWritesTwoLinkedLegsAndIsRefusedWithoutLiquidity(StoreKind kind) {
        try (Running s = start(kind)) {
            String alice = s.account("alice");
            Response market = s.http.post(
                    "/v1/accounts",
                    s.admin,
                    "{\"username\":\"gem-market\",\"email\":\"market@example.com\",\"role\":\"SYSTEM\"}");
            assertThat(market.status()).isEqualTo(201);
            for (String[] m : new String[][] {{alice, "GOLD", "100"}, {"gem-market", "GEMS", "1000.00"}}) {
                Response r = s.http.post(
                        "/v1/mint",
                        s.admin,
                        "{\"transaction_id\":\"mint-" + m[1] + "\",\"receiver_id\":\"" + m[0] + "\",\"currency\":\""
                                + m[1] + "\",\"amount\":\"" + m[2] + "\"}");
                assertThat(r.status()).as(r.toString()).isEqualTo(201);
            }
            String body = "{\"transaction_id\":\"x1\",\"account_id\":\"alice\",\"market_id\":\"gem-market\","
                    + "\"currency\":\"GOLD\",\"amount\":\"10\",\"target_currency\":\"GEMS\",\"rate\":\"2.5\","
                    + "\"fee_bps\":100,\"metadata\":{\"order_id\":\"X-1\"}}";
            Response x = s.http.post("/v1/exchanges", s.service, body);
            assertThat(x.status()).as(x.toString()).isEqualTo(201);
            JsonNode legs = x.json().get("entries");
            assertThat(legs).hasSize(2);
            assertThat(legs.get(0).get("transaction_id").asText()).isEqualTo("x1.sell");
            assertThat(legs.get(1).get("amount_gross").asText()).isEqualTo("25.00");
            assertThat(legs.get(1).get("tax_withheld").asText()).isEqualTo("0.25");
            assertThat(legs.get(1).get("tax_kind").asText()).isEqualTo("EXCHANGE_FEE");
            assertThat(legs.get(1).get("metadata").get("tally.rate").asText()).isEqualTo("2.5");
            assertThat(legs.get(1).get("metadata").get("order_id").asText()).isEqualTo("X-1");
            assertThat(s.http.post("/v1/exchanges", s.service, body).status()).isEqualTo(200);

            String before = s.dump();
            Response dry = s.http.post(
                    "/v1/exchanges",
                    s.service,
                    body.replace("x1", "x2").replace("\"2.5\"", "\"20\"").replace("\"10\"", "\"90\""));
            assertThat(dry.status()).isEqualTo(422);
            assertThat(dry.code()).isEqualTo("INSUFFICIENT_LIQUIDITY");
            assertThat(s.dump()).isEqualTo(before);
            Invariants.assertHold(s.server.ledger());
        }
    }
}

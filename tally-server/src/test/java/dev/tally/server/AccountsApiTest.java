package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.store.testing.StoreKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code /v1/accounts} over real HTTP on SQLite and PostgreSQL: the contract, ETags, If-Match, freezes, pages. */
class AccountsApiTest {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void createAnswers201WithTheContractFieldsAnETagAndALocation(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            Response r =
                    s.http.post("/v1/accounts", s.service, "{\"username\":\"alice\",\"email\":\"alice@example.com\"}");
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            JsonNode a = r.json();
            assertThat(a.get("username").asText()).isEqualTo("alice");
            assertThat(a.get("email").asText()).isEqualTo("alice@example.com");
            assertThat(a.get("role").asText()).isEqualTo("USER");
            assertThat(a.get("version").asLong()).isEqualTo(1);
            assertThat(a.get("is_frozen_for_fraud").asBoolean()).isFalse();
            assertThat(a.get("balances").isObject()).isTrue();
            assertThat(a.get("id").asText()).hasSize(36);
            assertThat(r.header("ETag")).contains("\"1\"");
            assertThat(r.header("Location"))
                    .contains("/v1/accounts/" + a.get("id").asText());
            assertThat(r.contentType()).startsWith("application/json");

            Response byName = s.http.get("/v1/accounts/alice", s.auditor);
            Response byId = s.http.get("/v1/accounts/" + a.get("id").asText(), s.auditor);
            assertThat(byName.json()).isEqualTo(a);
            assertThat(byId.json()).isEqualTo(a);
            assertThat(byId.header("ETag")).contains("\"1\"");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aServiceKeyMayOnlyOpenUserAccounts(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String before = s.dump();
            Response r = s.http.post(
                    "/v1/accounts",
                    s.service,
                    "{\"username\":\"shop\",\"email\":\"shop@example.com\",\"role\":\"SYSTEM\"}");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.code()).isEqualTo("FORBIDDEN");
            assertThat(s.dump()).isEqualTo(before);
            Response ok = s.http.post(
                    "/v1/accounts",
                    s.admin,
                    "{\"username\":\"shop\",\"email\":\"shop@example.com\",\"role\":\"SYSTEM\"}");
            assertThat(ok.status()).isEqualTo(201);
            assertThat(ok.json().get("role").asText()).isEqualTo("SYSTEM");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void duplicateUsernameAndEmailAre409AndWriteNothing(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            s.account("alice");
            String before = s.dump();
            Response name =
                    s.http.post("/v1/accounts", s.service, "{\"username\":\"alice\",\"email\":\"other@example.com\"}");
            Response mail =
                    s.http.post("/v1/accounts", s.service, "{\"username\":\"other\",\"email\":\"ALICE@example.com\"}");
            assertThat(name.status()).isEqualTo(409);
            assertThat(name.code()).isEqualTo("DUPLICATE_USERNAME");
            assertThat(name.json().get("field").asText()).isEqualTo("username");
            assertThat(mail.status()).isEqualTo(409);
            assertThat(mail.code()).isEqualTo("DUPLICATE_EMAIL");
            assertThat(s.dump()).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void patchNeedsIfMatchAndTheSecondOfTwoClientsWithTheSameVersionGets412(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String id = s.account("alice");
            // Both clients read version 1.
            String etagA =
                    s.http.get("/v1/accounts/" + id, s.service).header("ETag").orElseThrow();
            String etagB =
                    s.http.get("/v1/accounts/" + id, s.admin).header("ETag").orElseThrow();
            assertThat(etagA).isEqualTo(etagB).isEqualTo("\"1\"");

            String before = s.dump();
            Response missing =
                    s.http.send("PATCH", "/v1/accounts/" + id, s.service, "{\"email\":\"a2@example.com\"}", Map.of());
            assertThat(missing.status()).isEqualTo(428);
            assertThat(missing.code()).isEqualTo("PRECONDITION_REQUIRED");
            assertThat(missing.contentType()).startsWith("application/problem+json");
            assertThat(s.dump()).isEqualTo(before);

            Response first = s.http.send(
                    "PATCH",
                    "/v1/accounts/" + id,
                    s.service,
                    "{\"email\":\"a2@example.com\"}",
                    Map.of("If-Match", etagA));
            assertThat(first.status()).as(first.toString()).isEqualTo(200);
            assertThat(first.header("ETag")).contains("\"2\"");
            assertThat(first.json().get("email").asText()).isEqualTo("a2@example.com");

            String afterFirst = s.dump();
            Response second = s.http.send(
                    "PATCH",
                    "/v1/accounts/" + id,
                    s.admin,
                    "{\"email\":\"a3@example.com\"}",
                    Map.of("If-Match", etagB));
            assertThat(second.status()).isEqualTo(412);
            assertThat(second.code()).isEqualTo("PRECONDITION_FAILED");
            assertThat(second.json().get("detail").asText()).contains("version 2");
            assertThat(s.dump()).isEqualTo(afterFirst);

            // Reload, retry with the fresh ETag: it works.
            String fresh =
                    s.http.get("/v1/accounts/" + id, s.admin).header("ETag").orElseThrow();
            Response retry = s.http.send(
                    "PATCH",
                    "/v1/accounts/" + id,
                    s.admin,
                    "{\"email\":\"a3@example.com\"}",
                    Map.of("If-Match", fresh));
            assertThat(retry.status()).isEqualTo(200);
            assertThat(retry.json().get("version").asLong()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void freezeNeedsAReasonBlocksSendingAndIsRecordedWithTheKeyName(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "10.00");
            String before = s.dump();
            Response noReason = s.http.post("/v1/accounts/" + alice + "/freeze", s.admin, "{}");
            assertThat(noReason.status()).isEqualTo(422);
            assertThat(noReason.json().get("field").asText()).isEqualTo("reason");
            assertThat(s.dump()).isEqualTo(before);

            Response frozen =
                    s.http.post("/v1/accounts/" + alice + "/freeze", s.admin, "{\"reason\":\"chargeback ring\"}");
            assertThat(frozen.status()).isEqualTo(200);
            assertThat(frozen.json().get("is_frozen_for_fraud").asBoolean()).isTrue();
            assertThat(frozen.json().get("frozen_reason").asText()).isEqualTo("chargeback ring");
            assertThat(frozen.header("ETag")).contains("\"2\"");

            Response send = s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "1.00"));
            assertThat(send.status()).isEqualTo(423);
            assertThat(send.code()).isEqualTo("ACCOUNT_FROZEN");

            Response stale = s.http.send(
                    "POST",
                    "/v1/accounts/" + alice + "/unfreeze",
                    s.admin,
                    "{\"reason\":\"cleared\"}",
                    Map.of("If-Match", "\"1\""));
            assertThat(stale.status()).isEqualTo(412);
            Response unfrozen = s.http.send(
                    "POST",
                    "/v1/accounts/" + alice + "/unfreeze",
                    s.admin,
                    "{\"reason\":\"cleared\"}",
                    Map.of("If-Match", "\"2\""));
            assertThat(unfrozen.status()).isEqualTo(200);
            assertThat(unfrozen.json().get("is_frozen_for_fraud").asBoolean()).isFalse();
            assertThat(s.http.post("/v1/transfers", s.service, transfer("t1", alice, bob, "1.00"))
                            .status())
                    .isEqualTo(201);

            JsonNode actions = s.http.get("/v1/admin/actions", s.auditor).json().get("actions");
            List<String> names = new ArrayList<>();
            actions.forEach(a ->
                    names.add(a.get("action").asText() + ":" + a.get("key_name").asText()));
            assertThat(names).contains("FREEZE_ACCOUNT:bootstrap-admin", "UNFREEZE_ACCOUNT:bootstrap-admin");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void listFiltersAndPagesWithACursor(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            for (int i = 0; i < 7; i++) {
                s.account("user" + i);
            }
            String u3 =
                    s.http.get("/v1/accounts/user3", s.admin).json().get("id").asText();
            s.http.post("/v1/accounts/" + u3 + "/freeze", s.admin, "{\"reason\":\"test\"}");
            Set<String> seen = new HashSet<>();
            String cursor = null;
            int pages = 0;
            do {
                Response page = s.http.get(
                        "/v1/accounts?role=user&limit=3" + (cursor == null ? "" : "&cursor=" + cursor), s.service);
                assertThat(page.status()).as(page.toString()).isEqualTo(200);
                page.json()
                        .get("accounts")
                        .forEach(a ->
                                assertThat(seen.add(a.get("username").asText())).isTrue());
                cursor = page.json().get("next_cursor").isNull()
                        ? null
                        : page.json().get("next_cursor").asText();
                pages++;
            } while (cursor != null && pages < 10);
            assertThat(seen).hasSize(7);
            JsonNode frozen =
                    s.http.get("/v1/accounts?frozen=true", s.service).json().get("accounts");
            assertThat(frozen).hasSize(1);
            assertThat(frozen.get(0).get("username").asText()).isEqualTo("user3");
            assertThat(s.http.get("/v1/accounts?role=SYSTEM", s.service)
                            .json()
                            .get("accounts")
                            .get(0)
                            .get("username")
                            .asText())
                    .isEqualTo("treasury");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void historyIsNewestFirstByDirectionWithACursor(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "100.00");
            for (int i = 0; i < 5; i++) {
                assertThat(s.http.post("/v1/transfers", s.service, transfer("a" + i, alice, bob, "1.00"))
                                .status())
                        .isEqualTo(201);
            }
            assertThat(s.http.post("/v1/transfers", s.service, transfer("b0", bob, alice, "1.00"))
                            .status())
                    .isEqualTo(201);
            JsonNode sent = s.http.get("/v1/accounts/alice/history?direction=sent", s.auditor)
                    .json();
            assertThat(sent.get("entries")).hasSize(5);
            assertThat(sent.get("entries").get(0).get("transaction_id").asText())
                    .isEqualTo("a4");
            assertThat(sent.get("next_cursor").isNull()).isTrue();
            JsonNode received = s.http.get("/v1/accounts/alice/history?direction=received", s.auditor)
                    .json();
            assertThat(received.get("entries")).hasSize(2);

            List<String> all = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = s.http.get(
                                "/v1/accounts/" + alice + "/history?limit=2"
                                        + (cursor == null ? "" : "&cursor=" + cursor),
                                s.service)
                        .json();
                page.get("entries").forEach(e -> all.add(e.get("transaction_id").asText()));
                cursor = page.get("next_cursor").isNull()
                        ? null
                        : page.get("next_cursor").asText();
            } while (cursor != null);
            assertThat(all).hasSize(7).doesNotHaveDuplicates();
            assertThat(all.get(0)).isEqualTo("b0");

            JsonNode balances =
                    s.http.get("/v1/accounts/bob/balances", s.auditor).json();
            assertThat(balances.get("balances").get("EUR").asText()).isEqualTo("3.95");
        }
    }

    static String transfer(String id, String from, String to, String amount) {
        return "{\"transaction_id\":\"" + id + "\",\"type\":\"TRANSFER\",\"sender_id\":\"" + from
                + "\",\"receiver_id\":\"" + to + "\",\"currency\":\"EUR\",\"amount\":\"" + amount + "\"}";
    }
}

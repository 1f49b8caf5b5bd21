package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.config.Limits;
import dev.tally.store.testing.StoreKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bad-input matrix: malformed JSON, wrong types, unknown enum values and fields, bad amounts (too many
 * decimals, negative, zero, overflow, exponents, numbers), over-long strings, oversized bodies and batches,
 * bad page parameters. Each answers problem+json with the right status, code and field, and the database
 * is byte-for-byte unchanged.
 */
class BadInputTest {

    /** One bad request and what it must get. */
    record Case(
            String name,
            String method,
            String path,
            String body,
            Map<String, String> headers,
            Set<Integer> status,
            String code,
            String field) {
        static Case post(String name, String path, String body, int status, String code, String field) {
            return new Case(name, "POST", path, body, Map.of(), Set.of(status), code, field);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyBadInputIsAProblemAndWritesNothing(StoreKind kind) {
        try (Running s = Running.start(kind, c -> c.withLimits(new Limits(64 * 1024, 5, 100, 20)))) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "100.00");
            String before = s.dump();
            for (Case c : cases(alice, bob)) {
                Response r = s.http.send(c.method(), c.path(), s.admin, c.body(), c.headers());
                assertThat(r.status()).as(c.name() + ": " + r).isIn(c.status());
                assertThat(r.contentType()).as(c.name()).startsWith("application/problem+json");
                JsonNode p = r.json();
                assertThat(p.get("status").asInt()).as(c.name()).isEqualTo(r.status());
                assertThat(p.get("type").asText()).as(c.name()).startsWith("urn:tally:problem:");
                assertThat(p.get("title").asText()).as(c.name()).isNotBlank();
                assertThat(p.get("detail").asText())
                        .as(c.name())
                        .isNotBlank()
                        .doesNotContain("Exception")
                        .doesNotContain("\tat ");
                if (c.code() != null) {
                    assertThat(p.get("code").asText()).as(c.name() + ": " + r).isEqualTo(c.code());
                }
                if (c.field() != null) {
                    assertThat(p.path("field").asText()).as(c.name() + ": " + r).isEqualTo(c.field());
                }
                assertThat(s.dump()).as(c.name() + " wrote nothing").isEqualTo(before);
            }
        }
    }

    private static List<Case> cases(String alice, String bob) {
        List<Case> cases = new ArrayList<>();
        String t = "/v1/transfers";
        cases.add(Case.post("malformed JSON", t, "{\"transaction_id\":", 400, "MALFORMED_JSON", null));
        cases.add(Case.post("not an object", t, "[1,2]", 400, "MALFORMED_JSON", null));
        cases.add(Case.post("empty body", t, "", 400, "MALFORMED_JSON", null));
        cases.add(Case.post(
                "duplicate key", t, "{\"amount\":\"1.00\",\"amount\":\"2.00\"}", 400, "MALFORMED_JSON", null));
        cases.add(Case.post("trailing data", t, transfer(alice, bob, "1.00") + " {}", 400, "MALFORMED_JSON", null));
        cases.add(Case.post("deep nesting", t, "[".repeat(200) + "]".repeat(200), 400, "MALFORMED_JSON", null));
        cases.add(Case.post(
                "amount as a number",
                t,
                transfer(alice, bob, "1.00").replace("\"1.00\"", "1.00"),
                422,
                "VALIDATION_FAILED",
                "amount"));
        cases.add(Case.post(
                "amount too many decimals", t, transfer(alice, bob, "1.001"), 422, "VALIDATION_FAILED", "amount"));
        cases.add(Case.post("negative amount", t, transfer(alice, bob, "-1.00"), 422, "VALIDATION_FAILED", "amount"));
        cases.add(Case.post("zero amount", t, transfer(alice, bob, "0.00"), 422, "VALIDATION_FAILED", "amount"));
        cases.add(Case.post(
                "overflowing amount",
                t,
                transfer(alice, bob, "99999999999999999999"),
                422,
                "VALIDATION_FAILED",
                "amount"));
        cases.add(Case.post(
                "amount above the maximum",
                t,
                transfer(alice, bob, "10000000000000001"),
                422,
                "VALIDATION_FAILED",
                "amount"));
        cases.add(Case.post("exponent amount", t, transfer(alice, bob, "1e3"), 422, "VALIDATION_FAILED", "amount"));
        cases.add(Case.post("blank amount", t, transfer(alice, bob, " "), 422, "VALIDATION_FAILED", "amount"));
        cases.add(new Case(
                "huge JSON number",
                "POST",
                t,
                transfer(alice, bob, "1.00").replace("\"1.00\"", "1" + "0".repeat(100)),
                Map.of(),
                Set.of(400, 422),
                null,
                null));
        cases.add(Case.post(
                "unknown type",
                t,
                transfer(alice, bob, "1.00").replace("TRANSFER", "GIFT"),
                422,
                "VALIDATION_FAILED",
                "type"));
        cases.add(Case.post(
                "mint as a transfer type",
                t,
                transfer(alice, bob, "1.00").replace("TRANSFER", "MINT"),
                422,
                "VALIDATION_FAILED",
                "type"));
        cases.add(Case.post(
                "type as a number",
                t,
                transfer(alice, bob, "1.00").replace("\"TRANSFER\"", "7"),
                422,
                "VALIDATION_FAILED",
                "type"));
        cases.add(Case.post(
                "unknown currency",
                t,
                transfer(alice, bob, "1.00").replace("EUR", "ZZZ"),
                422,
                "UNKNOWN_CURRENCY",
                "currency"));
        cases.add(Case.post(
                "malformed currency",
                t,
                transfer(alice, bob, "1.00").replace("EUR", "eur!"),
                422,
                "VALIDATION_FAILED",
                "currency"));
        cases.add(Case.post(
                "unknown field",
                t,
                transfer(alice, bob, "1.00").replace("\"amount\"", "\"amout\""),
                422,
                "VALIDATION_FAILED",
                "amout"));
        cases.add(Case.post(
                "missing sender",
                t,
                "{\"transaction_id\":\"x1\",\"receiver_id\":\"" + bob + "\",\"currency\":\"EUR\",\"amount\":\"1.00\"}",
                422,
                "VALIDATION_FAILED",
                "sender_id"));
        cases.add(Case.post(
                "missing transaction id",
                t,
                transfer(alice, bob, "1.00").replace("\"transaction_id\":\"bad-1\",", ""),
                422,
                "VALIDATION_FAILED",
                "transaction_id"));
        cases.add(Case.post("unknown sender", t, transfer("nobody", bob, "1.00"), 404, "UNKNOWN_ACCOUNT", "sender_id"));
        cases.add(Case.post("same account", t, transfer(alice, alice, "1.00"), 422, "SAME_ACCOUNT", null));
        cases.add(Case.post("insufficient funds", t, transfer(alice, bob, "1000.00"), 422, "INSUFFICIENT_FUNDS", null));
        cases.add(Case.post(
                "transaction id too long",
                t,
                transfer(alice, bob, "1.00").replace("bad-1", "x".repeat(129)),
                422,
                "VALIDATION_FAILED",
                "transaction_id"));
        cases.add(Case.post(
                "transaction id with a space",
                t,
                transfer(alice, bob, "1.00").replace("bad-1", "a b"),
                422,
                "VALIDATION_FAILED",
                "transaction_id"));
        cases.add(Case.post(
                "sender id too long",
                t,
                transfer("a".repeat(100), bob, "1.00"),
                422,
                "VALIDATION_FAILED",
                "sender_id"));
        cases.add(new Case(
                "text/plain body",
                "POST",
                t,
                transfer(alice, bob, "1.00"),
                Map.of("Content-Type", "text/plain"),
                Set.of(415),
                "UNSUPPORTED_MEDIA_TYPE",
                null));
        cases.add(new Case(
                "form body",
                "POST",
                t,
                "a=b",
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                Set.of(415),
                "UNSUPPORTED_MEDIA_TYPE",
                null));
        cases.add(Case.post(
                "body over the limit", t, "{\"x\":\"" + "y".repeat(70 * 1024) + "\"}", 413, "PAYLOAD_TOO_LARGE", null));

        String a = "/v1/accounts";
        cases.add(Case.post(
                "username too long",
                a,
                "{\"username\":\"" + "u".repeat(65) + "\",\"email\":\"u@example.com\"}",
                422,
                "VALIDATION_FAILED",
                "username"));
        cases.add(Case.post(
                "username with spaces",
                a,
                "{\"username\":\"a b\",\"email\":\"u@example.com\"}",
                422,
                "VALIDATION_FAILED",
                "username"));
        cases.add(Case.post(
                "bad email",
                a,
                "{\"username\":\"carol\",\"email\":\"not-an-email\"}",
                422,
                "VALIDATION_FAILED",
                "email"));
        cases.add(Case.post(
                "email too long",
                a,
                "{\"username\":\"carol\",\"email\":\"" + "e".repeat(250) + "@example.com\"}",
                422,
                "VALIDATION_FAILED",
                "email"));
        cases.add(Case.post(
                "unknown role",
                a,
                "{\"username\":\"carol\",\"email\":\"c@example.com\",\"role\":\"GOD\"}",
                422,
                "VALIDATION_FAILED",
                "role"));
        cases.add(Case.post(
                "username as a number",
                a,
                "{\"username\":5,\"email\":\"c@example.com\"}",
                422,
                "VALIDATION_FAILED",
                "username"));
        cases.add(Case.post(
                "freeze reason too long",
                a + "/" + alice + "/freeze",
                "{\"reason\":\"" + "r".repeat(501) + "\"}",
                422,
                "VALIDATION_FAILED",
                "reason"));
        cases.add(Case.post(
                "ledger freeze without reason", "/v1/admin/ledger-freeze", "{}", 422, "VALIDATION_FAILED", "reason"));
        cases.add(new Case(
                "patch unknown field",
                "PATCH",
                a + "/" + alice,
                "{\"username\":\"eve\"}",
                Map.of("If-Match", "\"1\""),
                Set.of(422),
                "VALIDATION_FAILED",
                "username"));
        cases.add(new Case(
                "patch stale",
                "PATCH",
                a + "/" + alice,
                "{\"email\":\"x@example.com\"}",
                Map.of("If-Match", "\"9\""),
                Set.of(412),
                "PRECONDITION_FAILED",
                null));
        cases.add(new Case(
                "patch garbage etag",
                "PATCH",
                a + "/" + alice,
                "{\"email\":\"x@example.com\"}",
                Map.of("If-Match", "\"abc\", \"def\""),
                Set.of(412),
                "PRECONDITION_FAILED",
                null));

        String b = "/v1/transfers/batch";
        StringBuilder six = new StringBuilder("{\"transfers\":[");
        for (int i = 0; i < 6; i++) {
            six.append(i == 0 ? "" : ",").append(transfer(alice, bob, "1.00").replace("bad-1", "bb" + i));
        }
        cases.add(Case.post("batch over the limit", b, six + "]}", 422, "VALIDATION_FAILED", "transfers"));
        cases.add(Case.post("empty batch", b, "{\"transfers\":[]}", 422, "VALIDATION_FAILED", "transfers"));
        cases.add(Case.post("batch not an array", b, "{\"transfers\":{}}", 422, "VALIDATION_FAILED", "transfers"));
        cases.add(Case.post(
                "linked not a boolean",
                b,
                "{\"linked\":\"yes\",\"transfers\":[" + transfer(alice, bob, "1.00") + "]}",
                422,
                "VALIDATION_FAILED",
                "linked"));
        cases.add(new Case(
                "batch with Idempotency-Key",
                "POST",
                b,
                "{\"transfers\":[" + transfer(alice, bob, "1.00") + "]}",
                Map.of("Idempotency-Key", "k"),
                Set.of(422),
                "VALIDATION_FAILED",
                "Idempotency-Key"));

        cases.add(Case.post(
                "mint zero",
                "/v1/mint",
                "{\"transaction_id\":\"m0\",\"receiver_id\":\"" + alice + "\",\"currency\":\"EUR\",\"amount\":\"0\"}",
                422,
                "VALIDATION_FAILED",
                "amount"));
        cases.add(Case.post(
                "reverse unknown",
                "/v1/reversals",
                "{\"transaction_id\":\"r0\",\"original_transaction_id\":\"nope\"}",
                404,
                "UNKNOWN_TRANSACTION",
                null));

        for (String q :
                new String[] {"limit=0", "limit=5000", "limit=abc", "cursor=not-a-uuid", "frozen=maybe", "role=GOD"}) {
            cases.add(new Case(
                    "list " + q,
                    "GET",
                    a + "?" + q,
                    null,
                    Map.of(),
                    Set.of(422),
                    "VALIDATION_FAILED",
                    q.substring(0, q.indexOf('='))));
        }
        for (String q : new String[] {"direction=up", "cursor=abc", "limit=-1"}) {
            cases.add(new Case(
                    "history " + q,
                    "GET",
                    a + "/" + alice + "/history?" + q,
                    null,
                    Map.of(),
                    Set.of(422),
                    "VALIDATION_FAILED",
                    q.substring(0, q.indexOf('='))));
        }
        cases.add(new Case(
                "unknown account", "GET", a + "/nobody", null, Map.of(), Set.of(404), "UNKNOWN_ACCOUNT", null));
        cases.add(new Case(
                "unknown transaction",
                "GET",
                "/v1/transactions/none",
                null,
                Map.of(),
                Set.of(404),
                "UNKNOWN_TRANSACTION",
                null));
        cases.add(new Case("unknown route", "GET", "/v1/nothing-here", null, Map.of(), Set.of(404), "NOT_FOUND", null));
        cases.add(new Case(
                "wrong method", "PUT", "/v1/transfers", "{}", Map.of(), Set.of(405), "METHOD_NOT_ALLOWED", null));
        return cases;
    }

    private static String transfer(String from, String to, String amount) {
        return AccountsApiTest.transfer("bad-1", from, to, amount);
    }
}

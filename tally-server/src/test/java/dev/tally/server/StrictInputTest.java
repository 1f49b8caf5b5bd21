package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.testing.StoreKind;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input that was once accepted leniently is refused with {@code VALIDATION_FAILED} naming the field, and
 * writes nothing: amounts with leading zeros, enum values in the wrong case, weak or unquoted ETags,
 * usernames shaped like account ids or differing from another only in case, and control or formatting
 * characters in identifiers and reasons.
 */
class StrictInputTest {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAmountWithLeadingZerosIsRefused(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            s.account("alice");
            s.account("bob");
            s.mint("alice", "10.00");
            String before = s.dump();
            for (String amount : new String[] {"00001.00", "01", "00.50"}) {
                assertInvalid(s.http.post("/v1/transfers", s.service, transfer("t-" + amount, amount)), "amount");
            }
            assertThat(s.dump()).isEqualTo(before);
            assertThat(s.http.post("/v1/transfers", s.service, transfer("t-ok", "0.50"))
                            .status())
                    .isEqualTo(201);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPaymentTypeOrAnAccountRoleInTheWrongCaseIsRefused(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            s.account("alice");
            s.account("bob");
            s.mint("alice", "10.00");
            String before = s.dump();
            String lower =
                    "{\"transaction_id\":\"t1\",\"type\":\"transfer\",\"sender_id\":\"alice\",\"receiver_id\":\"bob\",\"currency\":\"EUR\",\"amount\":\"1.00\"}";
            assertInvalid(s.http.post("/v1/transfers", s.service, lower), "type");
            assertInvalid(
                    s.http.post("/v1/transfers/batch", s.service, "{\"linked\":true,\"transfers\":[" + lower + "]}")
                            .json()
                            .get("results")
                            .get(0)
                            .get("error")
                            .toString(),
                    "transfers[0].type");
            assertInvalid(
                    s.http.post(
                            "/v1/accounts",
                            s.admin,
                            "{\"username\":\"shop\",\"email\":\"shop@example.com\",\"role\":\"system\"}"),
                    "role");
            assertThat(s.dump()).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"W/\"1\"", "1", "\"1\", W/\"1\"", "\"1", "\"1\"\"", "\"1\",,"})
    void anIfMatchThatIsNotStrongQuotedETagsIsRefused(String ifMatch) {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            s.account("alice");
            String before = s.dump();
            Response r = s.http.send(
                    "PATCH",
                    "/v1/accounts/alice",
                    s.service,
                    "{\"email\":\"a2@example.com\"}",
                    Map.of("If-Match", ifMatch));
            assertInvalid(r, "If-Match");
            Response freeze = s.http.send(
                    "POST", "/v1/accounts/alice/freeze", s.admin, "{\"reason\":\"x\"}", Map.of("If-Match", ifMatch));
            assertInvalid(freeze, "If-Match");
            assertThat(s.dump()).isEqualTo(before);
            assertThat(s.http.send(
                                    "PATCH",
                                    "/v1/accounts/alice",
                                    s.service,
                                    "{\"email\":\"a2@example.com\"}",
                                    Map.of("If-Match", "\"1\""))
                            .status())
                    .isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aUsernameShapedLikeAnAccountIdIsRefusedSoItCannotShadowOne(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String before = s.dump();
            for (String name : new String[] {
                alice, alice.toUpperCase(java.util.Locale.ROOT), "00000000-0000-0000-0000-000000000001", "1-2-3-4-5"
            }) {
                Response r = s.http.post(
                        "/v1/accounts",
                        s.admin,
                        "{\"username\":\"" + name + "\",\"email\":\"u" + name.hashCode() + "@example.com\"}");
                assertInvalid(r, "username");
            }
            assertThat(s.dump()).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void usernamesAreUniqueRegardlessOfCaseAndKeepTheirSpelling(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            s.account("Alice");
            String before = s.dump();
            Response r =
                    s.http.post("/v1/accounts", s.service, "{\"username\":\"alice\",\"email\":\"other@example.com\"}");
            assertThat(r.status()).as(r.toString()).isEqualTo(409);
            assertThat(r.code()).isEqualTo("DUPLICATE_USERNAME");
            assertThat(r.json().get("field").asText()).isEqualTo("username");
            assertThat(s.dump()).isEqualTo(before);
            assertThat(s.http.get("/v1/accounts/Alice", s.auditor)
                            .json()
                            .get("username")
                            .asText())
                    .isEqualTo("Alice");
            Response batch =
                    s.http.post("/v1/accounts", s.admin, "{\"username\":\"ALICE\",\"email\":\"third@example.com\"}");
            assertThat(batch.status()).isEqualTo(409);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\\u001b[31mred",
                "nul\\u0000",
                "del\\u007f",
                "\\u202egnp.exe",
                "csi\\u009b2J",
                "iso\\u2066late",
                "zw\\u200bsp"
            })
    void controlAndFormattingCharactersAreRefusedInIdentifiersAndReasons(String evil) {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            s.account("alice");
            String before = s.dump();
            assertInvalid(
                    s.http.post(
                            "/v1/accounts", s.service, "{\"username\":\"e" + evil + "\",\"email\":\"e@example.com\"}"),
                    "username");
            assertInvalid(
                    s.http.post(
                            "/v1/accounts",
                            s.service,
                            "{\"username\":\"eve\",\"email\":\"e" + evil + "@example.com\"}"),
                    "email");
            assertInvalid(
                    s.http.send(
                            "PATCH",
                            "/v1/accounts/alice",
                            s.service,
                            "{\"email\":\"a" + evil + "@example.com\"}",
                            Map.of("If-Match", "\"1\"")),
                    "email");
            assertInvalid(
                    s.http.post("/v1/accounts/alice/freeze", s.admin, "{\"reason\":\"r" + evil + "\"}"), "reason");
            assertInvalid(s.http.post("/v1/admin/ledger-freeze", s.admin, "{\"reason\":\"r" + evil + "\"}"), "reason");
            assertInvalid(
                    s.http.post(
                            "/v1/transfers",
                            s.service,
                            "{\"transaction_id\":\"t" + evil
                                    + "\",\"sender_id\":\"alice\",\"receiver_id\":\"alice\",\"currency\":\"EUR\",\"amount\":\"1.00\"}"),
                    "transaction_id");
            assertThat(s.dump()).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAccountReferenceWithControlCharactersNamesNoAccountOnEveryStore(StoreKind kind) {
        try (Running s = Running.start(kind)) {
            s.account("alice");
            s.mint("alice", "10.00");
            String before = s.dump();
            for (String ref : new String[] {"\\u0000", "alice\\u0000", "\\u001b[31m", "al\\u202eice"}) {
                Response r = s.http.post(
                        "/v1/transfers",
                        s.service,
                        "{\"transaction_id\":\"t-nul\",\"sender_id\":\"" + ref
                                + "\",\"receiver_id\":\"alice\",\"currency\":\"EUR\",\"amount\":\"1.00\"}");
                assertThat(r.status()).as(r.toString()).isEqualTo(404);
                assertThat(r.code()).as(r.toString()).isEqualTo("UNKNOWN_ACCOUNT");
            }
            assertThat(s.dump()).isEqualTo(before);
        }
    }

    private static void assertInvalid(Response r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.code()).as(r.toString()).isEqualTo("VALIDATION_FAILED");
        assertThat(r.json().get("field").asText()).as(r.toString()).isEqualTo(field);
    }

    private static void assertInvalid(String problemJson, String field) {
        assertThat(problemJson).contains("\"code\":\"VALIDATION_FAILED\"").contains("\"field\":\"" + field + "\"");
    }

    private static String transfer(String id, String amount) {
        return "{\"transaction_id\":\"" + id
                + "\",\"sender_id\":\"alice\",\"receiver_id\":\"bob\",\"currency\":\"EUR\",\"amount\":\"" + amount
                + "\"}";
    }
}

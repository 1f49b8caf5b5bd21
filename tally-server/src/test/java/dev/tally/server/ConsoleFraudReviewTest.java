package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.fraud.RuleSettings;
import dev.tally.store.testing.StoreKind;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The console's fraud review queue over plain HTTP: it lists the shield's events with a status filter and
 * cursor paging, an admin resolves an open event as the API does (the admin log records it), and an auditor,
 * a form without the session's token or a bad form changes nothing.
 */
class ConsoleFraudReviewTest {
    /** Every payment after an account's first within ten minutes opens a flag event; the payment commits. */
    private static Running flagging(StoreKind kind) {
        return Running.start(
                kind,
                c -> c.withFraud(FraudPolicy.disabled()
                        .withVelocityCount(
                                new RuleSettings.VelocityCount(true, 1, Duration.ofMinutes(10), FraudAction.FLAG))));
    }

    /** Opens an account that pays twice, so that the second payment is flagged; answers the account's id. */
    private static String flaggedPayer(Running s, String name, String payee) {
        String payer = s.account(name);
        s.mint(payer, "100.00");
        assertThat(s.http.post("/v1/transfers", s.service, transfer(name + "-1", payer, payee, "1.00"))
                        .status())
                .isEqualTo(201);
        assertThat(s.http.post("/v1/transfers", s.service, transfer(name + "-2", payer, payee, "1.00"))
                        .status())
                .isEqualTo(201);
        return payer;
    }

    private static JsonNode openEvents(Running s) {
        return s.http.get("/v1/fraud/events?status=open", s.auditor).json().get("events");
    }

    /** Text as the console shows it in HTML. */
    private static String escaped(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static ConsoleHttp signedIn(Running s, String key) {
        ConsoleHttp c = new ConsoleHttp(s.server.port());
        assertThat(c.signIn(key).statusCode()).isEqualTo(303);
        return c;
    }

    private static HttpResponse<String> resolve(ConsoleHttp c, String csrf, String event, String action) {
        return c.post("/console/fraud/resolve", Map.of("csrf", csrf, "event", event, "action", action));
    }

    @Test
    void aHoldEventShowsItsPendingTransferAndButtonsThatSayTheySettleIt() {
        try (Running s = Running.start(
                StoreKind.SQLITE,
                c -> c.withFraud(FraudPolicy.disabled()
                        .withVelocityCount(
                                new RuleSettings.VelocityCount(true, 1, Duration.ofMinutes(10), FraudAction.HOLD))))) {
            String bob = s.account("bob");
            String alice = s.account("alice");
            s.mint(alice, "100.00");
            s.http.post("/v1/transfers", s.service, transfer("hold-1", alice, bob, "1.00"));
            assertThat(s.http.post("/v1/transfers", s.service, transfer("hold-2", alice, bob, "1.00"))
                            .status())
                    .isEqualTo(202);

            HttpResponse<String> page = signedIn(s, s.admin).get("/console/fraud");

            assertThat(page.body())
                    .contains("hold")
                    .contains("pending <a href=\"/console/transactions/hold-2\">hold-2</a>")
                    .contains("Release (post)")
                    .contains("Confirm (void, freeze)");
        }
    }

    @Test
    void theQueueListsAnOpenEventWithItsRuleAccountFiguresTransfersActionAndTime() {
        try (Running s = flagging(StoreKind.SQLITE)) {
            String bob = s.account("bob");
            flaggedPayer(s, "alice", bob);
            JsonNode event = openEvents(s).get(0);

            HttpResponse<String> page = signedIn(s, s.auditor).get("/console/fraud");

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body())
                    .contains("id=\"fraud-event-" + event.get("id").asText() + "\"")
                    .contains("velocity_count")
                    .contains(">alice</a>")
                    .contains("href=\"/console/accounts/"
                            + event.get("account_id").asText() + "\"")
                    .contains(escaped(event.get("figures").asText()))
                    .contains("href=\"/console/transactions/alice-2\"")
                    .contains(">flag<")
                    .contains(">open<")
                    .contains(event.get("created_at").asText());
        }
    }

    @Test
    void theConsoleNavigationLinksToTheQueue() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            assertThat(signedIn(s, s.auditor).get("/console").body())
                    .contains("<a href=\"/console/fraud\">Fraud review</a>");
        }
    }

    @Test
    void anAuditorSeesTheQueueWithoutResolveButtonsAndItsHandSentResolveChangesNothing() {
        try (Running s = flagging(StoreKind.SQLITE)) {
            flaggedPayer(s, "alice", s.account("bob"));
            String id = openEvents(s).get(0).get("id").asText();
            ConsoleHttp auditor = signedIn(s, s.auditor);
            String page = auditor.get("/console/fraud").body();
            assertThat(page).contains("fraud-event-" + id).doesNotContain("/console/fraud/resolve");
            String before = s.dump();

            HttpResponse<String> refused =
                    resolve(auditor, ConsoleHttp.csrf(page).orElseThrow(), id, "confirm");

            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(s.dump()).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAdminConfirmClosesTheEventFreezesTheAccountAndIsInTheAdminLog(StoreKind kind) {
        try (Running s = flagging(kind)) {
            String alice = flaggedPayer(s, "alice", s.account("bob"));
            String id = openEvents(s).get(0).get("id").asText();
            ConsoleHttp admin = signedIn(s, s.admin);
            String page = admin.get("/console/fraud").body();
            assertThat(page).contains("resolve-fraud confirm");

            HttpResponse<String> done = resolve(admin, ConsoleHttp.csrf(page).orElseThrow(), id, "confirm");

            assertThat(done.statusCode()).isEqualTo(303);
            assertThat(done.headers().firstValue("Location")).hasValue("/console/fraud");
            assertThat(openEvents(s)).isEmpty();
            JsonNode event = s.http.get("/v1/fraud/events?status=confirmed", s.auditor)
                    .json()
                    .get("events")
                    .get(0);
            assertThat(event.get("id").asText()).isEqualTo(id);
            assertThat(event.get("resolved_by").asText()).isEqualTo("bootstrap-admin");
            assertThat(s.http.get("/v1/accounts/" + alice, s.service)
                            .json()
                            .get("is_frozen_for_fraud")
                            .asBoolean())
                    .isTrue();
            assertThat(s.http.get("/v1/admin/actions", s.admin).body())
                    .contains("RESOLVE_FRAUD_EVENT")
                    .contains("bootstrap-admin")
                    .contains("confirm");
        }
    }

    @Test
    void aDismissClosesTheEventAndLeavesTheAccountAsItWas() {
        try (Running s = flagging(StoreKind.SQLITE)) {
            String alice = flaggedPayer(s, "alice", s.account("bob"));
            String id = openEvents(s).get(0).get("id").asText();
            ConsoleHttp admin = signedIn(s, s.admin);
            String token = ConsoleHttp.csrf(admin.get("/console/fraud").body()).orElseThrow();

            assertThat(resolve(admin, token, id, "dismiss").statusCode()).isEqualTo(303);

            assertThat(openEvents(s)).isEmpty();
            assertThat(s.http.get("/v1/accounts/" + alice, s.service)
                            .json()
                            .get("is_frozen_for_fraud")
                            .asBoolean())
                    .isFalse();
            assertThat(admin.get("/console/fraud?status=dismissed").body())
                    .contains("fraud-event-" + id)
                    .contains(">dismissed<")
                    .doesNotContain("resolve-fraud");
        }
    }

    @Test
    void aResolveWithAnotherSessionsTokenOrWithoutOneChangesNothing() {
        try (Running s = flagging(StoreKind.SQLITE)) {
            flaggedPayer(s, "alice", s.account("bob"));
            String id = openEvents(s).get(0).get("id").asText();
            ConsoleHttp admin = signedIn(s, s.admin);
            String foreign = ConsoleHttp.csrf(
                            signedIn(s, s.admin).get("/console").body())
                    .orElseThrow();
            String before = s.dump();

            assertThat(resolve(admin, foreign, id, "confirm").statusCode()).isEqualTo(403);
            assertThat(admin.post("/console/fraud/resolve", Map.of("event", id, "action", "confirm"))
                            .statusCode())
                    .isEqualTo(403);
            assertThat(new ConsoleHttp(s.server.port())
                            .post("/console/fraud/resolve", Map.of("event", id, "action", "confirm"))
                            .statusCode())
                    .isEqualTo(403);

            assertThat(s.dump()).isEqualTo(before);
        }
    }

    @Test
    void aBadActionAnUnknownEventOrAnEventNoLongerOpenIsRefusedAndChangesNothing() {
        try (Running s = flagging(StoreKind.SQLITE)) {
            flaggedPayer(s, "alice", s.account("bob"));
            String id = openEvents(s).get(0).get("id").asText();
            ConsoleHttp admin = signedIn(s, s.admin);
            String token = ConsoleHttp.csrf(admin.get("/console/fraud").body()).orElseThrow();
            String before = s.dump();

            assertThat(resolve(admin, token, id, "freeze").statusCode()).isEqualTo(422);
            assertThat(resolve(admin, token, "999", "dismiss").statusCode()).isEqualTo(404);
            assertThat(resolve(admin, token, "not-a-number", "dismiss").statusCode())
                    .isEqualTo(422);
            assertThat(s.dump()).isEqualTo(before);

            assertThat(resolve(admin, token, id, "dismiss").statusCode()).isEqualTo(303);
            String resolved = s.dump();
            HttpResponse<String> again = resolve(admin, token, id, "confirm");
            assertThat(again.statusCode()).isEqualTo(422);
            assertThat(again.body()).contains("already dismissed");
            assertThat(s.dump()).isEqualTo(resolved);
        }
    }

    @Test
    void theStatusFilterAndTheCursorPageThroughTheEvents() {
        try (Running s = flagging(StoreKind.SQLITE)) {
            String bob = s.account("bob");
            flaggedPayer(s, "alice", bob);
            flaggedPayer(s, "carol", bob);
            JsonNode events = openEvents(s);
            String first = events.get(0).get("id").asText();
            String second = events.get(1).get("id").asText();
            ConsoleHttp auditor = signedIn(s, s.auditor);

            assertThat(auditor.get("/console/fraud?after=" + first).body())
                    .doesNotContain("fraud-event-" + first + "\"")
                    .contains("fraud-event-" + second + "\"");
            assertThat(auditor.get("/console/fraud?status=confirmed").body())
                    .contains("id=\"no-fraud-events\"")
                    .contains("selected>confirmed<");
            assertThat(auditor.get("/console/fraud?status=all").body())
                    .contains("fraud-event-" + first + "\"")
                    .contains("fraud-event-" + second + "\"");
            assertThat(auditor.get("/console/fraud?status=sideways").statusCode())
                    .isEqualTo(422);
        }
    }
}

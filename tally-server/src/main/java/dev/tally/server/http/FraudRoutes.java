package dev.tally.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.json.FraudViews;
import dev.tally.json.Views;
import dev.tally.ledger.FraudReview;
import java.util.List;
import java.util.Optional;

/**
 * {@code /v1/fraud/events}: the fraud shield's review queue. Auditors and admins list events (cursor
 * paging by id); an admin resolves an open one (dismiss, confirm = freeze, release = unfreeze), which the
 * admin log records.
 */
final class FraudRoutes {
    private FraudRoutes() {}

    static List<Route> routes() {
        return List.of(
                new Route("GET", "/v1/fraud/events", Access.AUDIT, "List fraud events", FraudRoutes::list),
                new Route(
                        "POST",
                        "/v1/fraud/events/{id}/resolve",
                        Access.ADMIN,
                        "Resolve a fraud event: dismiss, confirm (freeze) or release (unfreeze)",
                        FraudRoutes::resolve));
    }

    private static void list(Call call) {
        Optional<FraudEvent.Status> status = call.query("status").map(s -> {
            try {
                return FraudEvent.Status.parse(s);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("status", e);
            }
        });
        long after = call.query("cursor").map(c -> id("cursor", c)).orElse(0L);
        int limit = call.limit();
        List<FraudEvent> page = call.ledger().fraud().list(status, after, limit);
        ArrayNode items = Views.array();
        page.forEach(e -> items.add(FraudViews.event(e)));
        ObjectNode o = Views.object();
        o.set("events", items);
        if (page.size() == limit) {
            o.put("next_cursor", Long.toString(page.get(page.size() - 1).id()));
        } else {
            o.putNull("next_cursor");
        }
        call.json(200, o);
    }

    private static void resolve(Call call) {
        FraudEvent event = AdminOperations.fraudEvent(call.server(), id("id", call.path("id")));
        JsonBody body = call.body().only("action");
        FraudReview.Resolved resolved =
                AdminOperations.resolveFraudEvent(call.server(), call.actor(), event, body.string("action", 16));
        ObjectNode o = FraudViews.event(resolved.event());
        // What resolving did to the ledger: a held payment posted or voided, or why nothing was.
        resolved.effect().ifPresent(effect -> o.put("effect", effect));
        call.json(200, o);
    }

    private static long id(String field, String text) {
        try {
            long id = Long.parseLong(text);
            if (id < 0) {
                throw ApiException.invalid(field, field + " must be a positive event id");
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, field + " must be an event id (a whole number)");
        }
    }
}

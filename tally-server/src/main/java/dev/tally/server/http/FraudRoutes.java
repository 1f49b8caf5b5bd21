package dev.tally.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.fraud.FraudEvent;
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
        page.forEach(e -> items.add(view(e)));
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
        long id = id("id", call.path("id"));
        if (call.ledger().fraud().find(id).isEmpty()) {
            throw ApiException.of(ApiCode.NOT_FOUND, "no fraud event " + id);
        }
        JsonBody body = call.body().only("action");
        FraudReview.Resolution resolution = FraudReview.Resolution.parse(body.string("action", 16));
        FraudEvent resolved = call.ledger().fraud().resolve(id, resolution, call.actor());
        call.recordAdminAction(
                "RESOLVE_FRAUD_EVENT",
                Optional.of(id + " (" + resolved.rule() + ", account " + resolved.account() + ")"),
                Optional.of(resolution.label()));
        call.json(200, view(resolved));
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

    /** An event as JSON, the shape {@code tally fraud events --json} prints too. */
    static ObjectNode view(FraudEvent e) {
        ObjectNode o = Views.object();
        o.put("id", e.id());
        o.put("rule", e.rule());
        o.put("account_id", e.account().toString());
        ArrayNode txs = Views.array();
        e.transactionIds().forEach(txs::add);
        o.set("transaction_ids", txs);
        o.put("figures", e.figures());
        o.put("action", e.action().label());
        o.put("created_at", e.createdAt().toString());
        o.put("status", e.status().label());
        if (e.resolvedBy().isPresent()) {
            o.put("resolved_by", e.resolvedBy().get());
        } else {
            o.putNull("resolved_by");
        }
        if (e.resolvedAt().isPresent()) {
            o.put("resolved_at", e.resolvedAt().get().toString());
        } else {
            o.putNull("resolved_at");
        }
        return o;
    }
}

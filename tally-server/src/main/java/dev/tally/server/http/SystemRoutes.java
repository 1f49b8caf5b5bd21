package dev.tally.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.engine.ChainHead;
import dev.tally.json.Views;
import dev.tally.ledger.sequencer.WriterHealth;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operations: {@code /health} (readiness: the store answers, the ledger's writer has not halted, and the
 * server is not draining; 503 otherwise, with the reason), {@code /health/live} (liveness: the process serves), {@code /metrics} (Prometheus), and
 * {@code /openapi.json}.
 */
final class SystemRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SystemRoutes.class);

    private SystemRoutes() {}

    static List<Route> routes(Access metrics, JsonNode openApi) {
        return List.of(
                new Route(
                        "GET",
                        "/health",
                        Access.PUBLIC,
                        "Readiness: 200 when the store answers, the writer writes and the server accepts work",
                        SystemRoutes::ready),
                new Route("GET", "/health/ready", Access.PUBLIC, "Readiness (same as /health)", SystemRoutes::ready),
                new Route(
                        "GET",
                        "/health/live",
                        Access.PUBLIC,
                        "Liveness: 200 while the process serves",
                        SystemRoutes::live),
                new Route("GET", "/metrics", metrics, "Prometheus metrics", SystemRoutes::metrics),
                new Route(
                        "GET",
                        "/openapi.json",
                        Access.PUBLIC,
                        "This API's OpenAPI 3.1 document",
                        c -> c.json(200, openApi)));
    }

    private static void live(Call call) {
        ObjectNode o = Views.object();
        o.put("status", "UP");
        call.json(200, o);
    }

    private static void ready(Call call) {
        ObjectNode checks = Views.object();
        boolean ready = !call.server().inflight().draining();
        ObjectNode store = checks.putObject("store");
        try {
            ChainHead head = call.ledger().reads().head();
            store.put("status", "UP");
            store.put("description", call.ledger().describe().replaceAll("password=[^&]*", "password=***"));
            store.put("entries", head.seq());
            checks.put("ledger_frozen", call.ledger().reads().controls().frozen());
        } catch (RuntimeException e) {
            LOG.warn("readiness: the store does not answer: {}", e.toString());
            store.put("status", "DOWN");
            ready = false;
        }
        checks.putObject("server").put("status", call.server().inflight().draining() ? "DRAINING" : "UP");
        WriterHealth writer = call.ledger().stats().writer();
        ObjectNode w = checks.putObject("writer");
        w.put("status", writer.halted() ? "HALTED" : "UP");
        if (writer.halted()) {
            // The operator must restart the process; the reason tells what to look at first.
            w.put("reason", writer.reason());
            writer.since().ifPresent(t -> w.put("since", t.toString()));
            ready = false;
        }
        ObjectNode o = Views.object();
        o.put("status", ready ? "UP" : "DOWN");
        o.set("checks", checks);
        call.json(ready ? 200 : 503, o);
    }

    private static void metrics(Call call) {
        call.text(
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                call.server().metrics().scrape());
    }
}

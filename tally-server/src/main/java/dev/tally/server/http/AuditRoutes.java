package dev.tally.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.json.Reports;
import dev.tally.json.Views;
import dev.tally.server.audit.AuditService;
import java.util.List;
import java.util.Locale;

/**
 * {@code /v1/audit}: run a chain verification (full or incremental) or a reconciliation now and get its
 * report (the audit issue's JSON, the seed's field names, built by {@link Reports} as the CLI's
 * {@code --json} is), and list the recorded runs. Admins and auditors only. The answer is 200 whether the
 * ledger verifies or not: the report is the resource, and its {@code valid} says which. A run that fails
 * alerts and applies the failure policy, as a scheduled one does.
 */
public final class AuditRoutes {
    private AuditRoutes() {}

    public static List<Route> routes(AuditService audits) {
        return List.of(
                new Route(
                        "POST",
                        "/v1/audit/verify",
                        Access.AUDIT,
                        "Verify the chain now (mode=full|incremental)",
                        c -> verify(c, audits)),
                new Route(
                        "POST",
                        "/v1/audit/reconcile",
                        Access.AUDIT,
                        "Reconcile balances, treasury and supply with the entries",
                        c -> reconcile(c, audits)),
                new Route(
                        "GET",
                        "/v1/audit/runs",
                        Access.AUDIT,
                        "Recorded verification and reconciliation runs, newest first",
                        AuditRoutes::runs));
    }

    private static void verify(Call call, AuditService audits) {
        VerifyOptions.Mode mode = call.query("mode")
                .map(m -> switch (m.toLowerCase(Locale.ROOT)) {
                    case "full" -> VerifyOptions.Mode.FULL;
                    case "incremental" -> VerifyOptions.Mode.INCREMENTAL;
                    default -> throw ApiException.invalid("mode", "mode must be full or incremental");
                })
                .orElse(VerifyOptions.Mode.FULL);
        call.json(
                200,
                Reports.tree(audits.withReadFrom(
                        audits.verifyOnRequest(mode, call.actor()).toMap())));
    }

    private static void reconcile(Call call, AuditService audits) {
        call.json(
                200,
                Reports.tree(audits.withReadFrom(
                        audits.reconcileOnRequest(call.actor()).toMap())));
    }

    private static void runs(Call call) {
        ArrayNode runs = Views.array();
        call.ledger().audit().history(call.limit()).forEach(r -> runs.add(Reports.object(r.toMap())));
        ObjectNode o = Views.object();
        o.set("runs", runs);
        call.json(200, o);
    }
}

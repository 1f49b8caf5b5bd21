package dev.tally.server.console;

import dev.tally.core.audit.RunKind;
import dev.tally.core.audit.VerificationRun;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.LedgerControls;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.merkle.SignedCheckpoint;
import dev.tally.server.audit.SentAlerts;
import dev.tally.server.http.AdminOperations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The overview, the verification history with its timing chart, the alerts, and the ledger-wide freeze. */
final class Pages {
    static final int RUNS_PER_PAGE = 20;
    /** How many verifications the timing chart draws, newest last. */
    static final int CHART_RUNS = 200;

    private final SentAlerts alerts;

    Pages(SentAlerts alerts) {
        this.alerts = alerts;
    }

    void overview(ConsoleCall call) {
        Ledger l = call.ledger();
        Html h = new Html();
        ChainHead head = l.reads().head();
        h.raw("<section id=\"head\"><h2>Chain head</h2><table class=\"kv\">");
        row(h, "Entries", Long.toString(head.seq()), "head-entries");
        row(h, "Head hash", head.hash().hex(), "head-hash");
        Optional<SignedCheckpoint> cp = l.log().merkleLog().latestCheckpoint();
        row(h, "Newest signed checkpoint", cp.map(c -> c.createdAt().toString()).orElse("none yet"), "checkpoint-at");
        row(h, "Checkpoint tree size", cp.map(c -> Long.toString(c.size())).orElse("-"), "checkpoint-size");
        row(
                h,
                "Checkpoint root",
                cp.map(c -> Base64.getEncoder().encodeToString(c.checkpoint().rootHash()))
                        .orElse("-"),
                "checkpoint-root");
        h.raw("</table></section>");

        LedgerControls controls = l.reads().controls();
        h.raw("<section id=\"ledger-state\"><h2>Ledger</h2>");
        if (controls.frozen()) {
            h.raw(
                    "<p class=\"bad\" id=\"ledger-frozen\">Frozen: every money movement is refused.</p><table class=\"kv\">");
            row(h, "Reason", controls.reason().orElse("-"), "freeze-reason");
            row(h, "By", controls.actor().orElse("-"), "freeze-actor");
            row(h, "Since", controls.changedAt().map(Instant::toString).orElse("-"), "freeze-since");
            h.raw("</table>");
            if (call.admin()) {
                h.raw(call.form("/console/ledger/unfreeze", "", "Unfreeze the ledger", "write unfreeze-ledger"));
            }
        } else {
            h.raw("<p class=\"good\" id=\"ledger-open\">Not frozen: money moves.</p>");
            if (call.admin()) {
                h.raw(call.form(
                        "/console/ledger/freeze",
                        "<label>Reason <input name=\"reason\" required maxlength=\"500\"></label>",
                        "Freeze the ledger",
                        "write freeze-ledger"));
            }
        }
        h.raw("</section>");

        List<VerificationRun> runs = l.audit().history(100);
        h.raw("<section id=\"audits\"><h2>Audits</h2><table class=\"kv\">");
        runRow(
                h,
                "Last verification",
                runs.stream().filter(r -> r.kind().isVerify()).findFirst(),
                "last-verification");
        runRow(
                h,
                "Last reconciliation",
                runs.stream().filter(r -> r.kind() == RunKind.RECONCILE).findFirst(),
                "last-reconciliation");
        h.raw("</table><p>")
                .link("/console/verifications", "Verification history")
                .raw("</p></section>");

        h.raw("<section id=\"supply\"><h2>Supply</h2>")
                .json(Views.supply(l.reads().supply()))
                .raw("</section>");
        UUID treasury = l.rules().treasuryId();
        h.raw("<section id=\"treasury\"><h2>Treasury</h2>")
                .json(Views.treasury(
                        treasury, l.reads().balances(treasury), l.reads().treasuryTotals(), l.reads()::currencyOrScale))
                .raw("</section>");
        h.raw("<section id=\"recent-alerts\"><h2>Recent alerts</h2>");
        alertTable(h, alerts.recent(5));
        h.raw("</section>");
        call.page("Overview", h);
    }

    static void ledgerFreeze(ConsoleCall call, boolean frozen) {
        Optional<String> reason = AdminOperations.reason(call.form("reason"));
        AdminOperations.setLedgerFrozen(call.server(), call.actor(), frozen, reason);
        call.redirect("/console");
    }

    static void verifications(ConsoleCall call) {
        int page = call.query("page").map(Pages::pageNumber).orElse(0);
        List<VerificationRun> all = call.ledger().audit().history(Math.max(CHART_RUNS, (page + 1) * RUNS_PER_PAGE + 1));
        List<VerificationRun> shown = all.subList(
                Math.min(all.size(), page * RUNS_PER_PAGE), Math.min(all.size(), (page + 1) * RUNS_PER_PAGE));
        Html h = new Html();
        h.raw("<section><h2>verification_time_ms over time</h2>");
        List<VerificationRun> verifications = new ArrayList<>(
                all.stream().filter(r -> r.kind().isVerify()).limit(CHART_RUNS).toList());
        java.util.Collections.reverse(verifications);
        h.raw(Chart.svg(verifications));
        h.raw("<p class=\"muted\">Oldest left, newest right; failed runs are red squares.</p></section>");
        h.raw(
                "<section><h2>Runs</h2><table class=\"list\" id=\"runs\"><thead><tr><th>Started</th><th>Kind</th>"
                        + "<th>Range</th><th>Result</th><th>Findings</th><th>Duration (ms)</th><th>Entries/s</th></tr></thead><tbody>");
        for (VerificationRun r : shown) {
            long entries = Math.max(0, r.toSeq() - r.fromSeq() + 1);
            h.raw("<tr" + Html.attr("class", r.valid() ? "ok" : "failed") + "><td>")
                    .text(r.startedAt().toString())
                    .raw("</td><td>")
                    .text(r.kind().name())
                    .raw("</td><td>")
                    .text("#" + r.fromSeq() + " – #" + r.toSeq())
                    .raw("</td><td>")
                    .text(r.valid() ? "valid" : "FAILED")
                    .raw("</td><td>")
                    .text(Long.toString(r.findingsCount()))
                    .raw("</td><td>")
                    .text(Long.toString(r.durationMs()))
                    .raw("</td><td>")
                    .text(r.durationMs() > 0 ? Long.toString(entries * 1000 / r.durationMs()) : "-")
                    .raw("</td></tr>");
        }
        h.raw("</tbody></table><p class=\"pager\">");
        if (page > 0) {
            h.link("/console/verifications?page=" + (page - 1), "← newer");
        }
        if (all.size() > (page + 1) * RUNS_PER_PAGE) {
            h.raw(" ").link("/console/verifications?page=" + (page + 1), "older →");
        }
        h.raw("</p></section>");
        call.page("Verification history", h);
    }

    void alerts(ConsoleCall call) {
        Html h = new Html();
        h.raw("<p class=\"muted\">Alerts sent since this server started; every alert is in the server log too.</p>");
        alertTable(h, alerts.recent(200));
        call.page("Alerts", h);
    }

    private static void alertTable(Html h, List<SentAlerts.Delivery> list) {
        if (list.isEmpty()) {
            h.raw("<p class=\"muted\">No alerts.</p>");
            return;
        }
        h.raw("<table class=\"list alerts\"><thead><tr><th>At</th><th>Kind</th><th>Severity</th><th>Title</th>"
                + "<th>Channel</th><th>Delivered</th></tr></thead><tbody>");
        for (SentAlerts.Delivery d : list) {
            h.raw("<tr><td>")
                    .text(d.at().toString())
                    .raw("</td><td>")
                    .text(d.kind())
                    .raw("</td><td>")
                    .text(d.severity())
                    .raw("</td><td>")
                    .text(d.title())
                    .raw("</td><td>")
                    .text(d.channel())
                    .raw("</td><td>")
                    .text(d.delivered() ? "yes" : "NO")
                    .raw("</td></tr>");
        }
        h.raw("</tbody></table>");
    }

    private static void runRow(Html h, String label, Optional<VerificationRun> run, String id) {
        row(
                h,
                label,
                run.map(r -> (r.valid() ? "valid" : "FAILED") + " · " + r.kind().name() + " · #" + r.fromSeq() + "–#"
                                + r.toSeq() + " · " + r.findingsCount() + " findings · " + r.durationMs() + " ms · "
                                + r.finishedAt())
                        .orElse("never run"),
                id);
    }

    static void row(Html h, String label, String value, String id) {
        h.raw("<tr><th>")
                .text(label)
                .raw("</th><td" + Html.attr("id", id) + ">")
                .text(value)
                .raw("</td></tr>");
    }

    private static int pageNumber(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 0 && n < 10_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("page must be a whole number from 0");
    }
}

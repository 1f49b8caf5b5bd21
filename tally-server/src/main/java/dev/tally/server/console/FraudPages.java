package dev.tally.server.console;

import dev.tally.core.account.Account;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.server.http.AdminOperations;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fraud shield's review queue: its events, open ones first by default, with a status filter and cursor
 * paging as {@code GET /v1/fraud/events}; an admin resolves an open event with the same operation as
 * {@code POST /v1/fraud/events/{id}/resolve}, so the admin log records it the same way.
 */
final class FraudPages {
    static final int PAGE = 25;
    /** The filter that lists every event whatever its status. */
    static final String ALL = "all";

    private FraudPages() {}

    static void queue(ConsoleCall call) {
        String filter = call.query("status")
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .orElse("open");
        Optional<FraudEvent.Status> status =
                filter.equals(ALL) ? Optional.empty() : Optional.of(FraudEvent.Status.parse(filter));
        long after = call.query("after").map(FraudPages::eventId).orElse(0L);
        List<FraudEvent> page = call.ledger().fraud().list(status, after, PAGE);
        Html h = new Html();
        h.raw(statusFilter(filter));
        h.raw("<section><h2>Events</h2>");
        if (page.isEmpty()) {
            h.raw("<p class=\"muted\" id=\"no-fraud-events\">No ")
                    .text(filter.equals(ALL) ? "" : filter + " ")
                    .raw("fraud event.</p>");
        } else {
            eventTable(call, h, page);
            if (page.size() == PAGE) {
                h.raw("<p class=\"pager\">")
                        .link(
                                "/console/fraud?status=" + filter + "&after="
                                        + page.get(page.size() - 1).id(),
                                "more →")
                        .raw("</p>");
            }
        }
        h.raw("</section>");
        call.page("Fraud review", h);
    }

    static void resolve(ConsoleCall call) {
        FraudEvent event = AdminOperations.fraudEvent(call.server(), eventId(call.form("event")));
        AdminOperations.resolveFraudEvent(call.server(), call.actor(), event, call.form("action"));
        call.redirect("/console/fraud");
    }

    private static String statusFilter(String selected) {
        StringBuilder b = new StringBuilder(
                "<form method=\"get\" action=\"/console/fraud\" class=\"search\"><label>Status <select name=\"status\" id=\"fraud-status\">");
        for (FraudEvent.Status s : FraudEvent.Status.values()) {
            b.append(option(s.label(), selected));
        }
        b.append(option(ALL, selected));
        return b.append("</select></label><button type=\"submit\">Show</button></form>")
                .toString();
    }

    private static String option(String value, String selected) {
        return "<option" + Html.attr("value", value) + (value.equals(selected) ? " selected" : "") + ">"
                + Html.escape(value) + "</option>";
    }

    private static void eventTable(ConsoleCall call, Html h, List<FraudEvent> events) {
        boolean resolvable = call.admin() && events.stream().anyMatch(e -> e.status() == FraudEvent.Status.OPEN);
        h.raw("<table class=\"list\" id=\"fraud-events\"><thead><tr><th>Event</th><th>Time</th><th>Rule</th>"
                + "<th>Account</th><th>Figures</th><th>Transfers</th><th>Action</th><th>Status</th>"
                + (resolvable ? "<th>Resolve</th>" : "") + "</tr></thead><tbody>");
        for (FraudEvent e : events) {
            h.raw("<tr" + Html.attr("id", "fraud-event-" + e.id()) + "><td>")
                    .text(Long.toString(e.id()))
                    .raw("</td><td>")
                    .text(e.createdAt().toString())
                    .raw("</td><td>")
                    .text(e.rule())
                    .raw("</td><td>");
            accountCell(call, h, e);
            h.raw("</td><td>").text(e.figures()).raw("</td><td>");
            for (String tx : e.transactionIds()) {
                h.raw("<div>").link(AccountPages.transactionPath(tx), tx).raw("</div>");
            }
            h.raw("</td><td>").text(e.action().label());
            e.pendingTransactionId()
                    .ifPresent(p -> h.raw("<div class=\"muted\">pending ")
                            .link(AccountPages.transactionPath(p), p)
                            .raw("</div>"));
            h.raw("</td><td>").text(e.status().label());
            e.resolvedBy()
                    .ifPresent(by ->
                            h.raw("<div class=\"muted\">").text("by " + by).raw("</div>"));
            h.raw("</td>");
            if (resolvable) {
                h.raw("<td>");
                if (e.status() == FraudEvent.Status.OPEN
                        && e.pendingTransactionId().isPresent()) {
                    // A hold's resolution settles the held payment rather than a freeze.
                    h.raw(resolveForm(call, e, "dismiss", "Dismiss (post)"))
                            .raw(resolveForm(call, e, "confirm", "Confirm (void, freeze)"))
                            .raw(resolveForm(call, e, "release", "Release (post)"));
                } else if (e.status() == FraudEvent.Status.OPEN) {
                    h.raw(resolveForm(call, e, "dismiss", "Dismiss"))
                            .raw(resolveForm(call, e, "confirm", "Confirm (freeze)"))
                            .raw(resolveForm(call, e, "release", "Release (unfreeze)"));
                }
                h.raw("</td>");
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table>");
    }

    private static void accountCell(ConsoleCall call, Html h, FraudEvent e) {
        String id = e.account().toString();
        String label =
                call.ledger().reads().findAccount(id).map(Account::username).orElse(id);
        h.link("/console/accounts/" + id, label);
    }

    private static String resolveForm(ConsoleCall call, FraudEvent e, String action, String button) {
        return call.form(
                "/console/fraud/resolve",
                "<input type=\"hidden\" name=\"event\"" + Html.attr("value", Long.toString(e.id())) + ">"
                        + "<input type=\"hidden\" name=\"action\"" + Html.attr("value", action) + ">",
                button,
                "write resolve-fraud " + action);
    }

    private static long eventId(String text) {
        try {
            long id = Long.parseLong(text.strip());
            if (id < 0) {
                throw new IllegalArgumentException("a fraud event id is a whole number of 0 or more");
            }
            return id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a fraud event id is a whole number, not '" + text + "'");
        }
    }
}

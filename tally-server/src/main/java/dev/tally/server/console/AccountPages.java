package dev.tally.server.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.account.Account;
import dev.tally.core.command.Command;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.AccountQuery;
import dev.tally.core.store.HistoryQuery;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.merkle.SignedCheckpoint;
import dev.tally.server.http.AdminOperations;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Frozen accounts, account search and an account's page, a transaction's page and its inclusion proof. */
final class AccountPages {
    static final int PAGE = 25;
    /** How many accounts an e-mail or partial-name search looks through: a console search, not a report. */
    static final int SEARCH_SCAN = 20_000;

    void frozen(ConsoleCall call) {
        Optional<UUID> after = call.query("after").map(AccountPages::uuid);
        List<Account> page =
                call.ledger().reads().listAccounts(new AccountQuery(Optional.of(true), Optional.empty(), after, PAGE));
        Html h = new Html();
        if (call.admin()) {
            h.raw("<section><h2>Freeze an account</h2>")
                    .raw(call.form(
                            "/console/accounts/freeze",
                            "<label>Account (username or id) <input name=\"account\" id=\"freeze-account\" required></label>"
                                    + "<label>Reason <input name=\"reason\" id=\"freeze-reason\" required maxlength=\"500\"></label>",
                            "Freeze",
                            "write freeze-account"))
                    .raw("</section>");
        }
        h.raw("<section><h2>Frozen for fraud</h2>");
        if (page.isEmpty()) {
            h.raw("<p class=\"muted\" id=\"no-frozen\">No account is frozen.</p>");
        } else {
            h.raw("<table class=\"list\" id=\"frozen\"><thead><tr><th>Username</th><th>E-mail</th><th>Reason</th>"
                    + "<th>Frozen at</th>" + (call.admin() ? "<th>Unfreeze</th>" : "") + "</tr></thead><tbody>");
            for (Account a : page) {
                h.raw("<tr><td>")
                        .link("/console/accounts/" + a.id(), a.username())
                        .raw("</td><td>")
                        .text(a.email())
                        .raw("</td><td>")
                        .text(a.frozenReason().orElse("-"))
                        .raw("</td><td>")
                        .text(a.frozenAt().map(Object::toString).orElse("-"))
                        .raw("</td>");
                if (call.admin()) {
                    h.raw("<td>").raw(unfreezeForm(call, a)).raw("</td>");
                }
                h.raw("</tr>");
            }
            h.raw("</tbody></table>");
            if (page.size() == PAGE) {
                h.raw("<p class=\"pager\">")
                        .link(
                                "/console/frozen?after="
                                        + page.get(page.size() - 1).id(),
                                "more →")
                        .raw("</p>");
            }
        }
        h.raw("</section>");
        call.page("Frozen accounts", h);
    }

    private static String unfreezeForm(ConsoleCall call, Account a) {
        return call.form(
                "/console/accounts/unfreeze",
                "<input type=\"hidden\" name=\"account\"" + Html.attr("value", a.id().toString()) + ">"
                        + "<input name=\"reason\" placeholder=\"reason\" maxlength=\"500\">",
                "Unfreeze",
                "write unfreeze-account");
    }

    void setFrozen(ConsoleCall call, boolean frozen) {
        Account a = find(call.ledger(), call.form("account").strip());
        Optional<String> reason = AdminOperations.reason(call.form("reason"));
        AdminOperations.setAccountFrozen(call.server(), call.actor(), a, frozen, reason, Optional.empty());
        call.redirect(frozen ? "/console/frozen" : "/console/accounts/" + a.id());
    }

    void search(ConsoleCall call) {
        Optional<String> q = call.query("q").map(String::strip);
        Html h = new Html();
        h.raw("<form method=\"get\" action=\"/console/accounts\" class=\"search\"><label>Username, e-mail or id ")
                .raw("<input name=\"q\" id=\"q\"" + Html.attr("value", q.orElse("")) + "></label>")
                .raw("<button type=\"submit\">Search</button></form>");
        List<Account> found = q.map(text -> matching(call.ledger(), text))
                .orElseGet(() -> call.ledger()
                        .reads()
                        .listAccounts(new AccountQuery(Optional.empty(), Optional.empty(), Optional.empty(), PAGE)));
        accountTable(h, found);
        call.page("Accounts", h);
    }

    /** The account with this id or username, else those whose e-mail or username contains the text. */
    private static List<Account> matching(Ledger ledger, String text) {
        if (text.length() <= Account.MAX_EMAIL) {
            Optional<Account> exact = ledger.reads().findAccount(text);
            if (exact.isPresent()) {
                return List.of(exact.get());
            }
        }
        String needle = text.toLowerCase(Locale.ROOT);
        List<Account> found = new ArrayList<>();
        Optional<UUID> after = Optional.empty();
        for (int seen = 0; seen < SEARCH_SCAN && found.size() < PAGE; ) {
            List<Account> page = ledger.reads()
                    .listAccounts(new AccountQuery(Optional.empty(), Optional.empty(), after, AccountQuery.MAX_LIMIT));
            for (Account a : page) {
                if (a.email().toLowerCase(Locale.ROOT).contains(needle)
                        || a.username().toLowerCase(Locale.ROOT).contains(needle)) {
                    found.add(a);
                }
            }
            if (page.size() < AccountQuery.MAX_LIMIT) {
                break;
            }
            seen += page.size();
            after = Optional.of(page.get(page.size() - 1).id());
        }
        return found;
    }

    private static void accountTable(Html h, List<Account> accounts) {
        if (accounts.isEmpty()) {
            h.raw("<p class=\"muted\" id=\"no-accounts\">No account found.</p>");
            return;
        }
        h.raw("<table class=\"list\" id=\"accounts\"><thead><tr><th>Username</th><th>E-mail</th><th>Role</th>"
                + "<th>Frozen</th><th>Id</th></tr></thead><tbody>");
        for (Account a : accounts) {
            h.raw("<tr><td>")
                    .link("/console/accounts/" + a.id(), a.username())
                    .raw("</td><td>")
                    .text(a.email())
                    .raw("</td><td>")
                    .text(a.role().name())
                    .raw("</td><td>")
                    .text(a.frozenForFraud() ? "frozen" : "")
                    .raw("</td><td>")
                    .text(a.id().toString())
                    .raw("</td></tr>");
        }
        h.raw("</tbody></table>");
    }

    void account(ConsoleCall call) {
        Ledger l = call.ledger();
        Account a = find(l, call.path("id"));
        String direction = call.query("direction").orElse("all").toLowerCase(Locale.ROOT);
        HistoryQuery.Direction dir = switch (direction) {
            case "sent" -> HistoryQuery.Direction.SENT;
            case "received" -> HistoryQuery.Direction.RECEIVED;
            case "all" -> HistoryQuery.Direction.ALL;
            default -> throw new IllegalArgumentException("direction must be sent, received or all");
        };
        Optional<HistoryQuery.Cursor> before = call.query("cursor").map(HistoryQuery.Cursor::parse);
        Html h = new Html();
        h.raw("<section id=\"account\">")
                .json(Views.account(a, l.reads().balances(a.id())))
                .raw("</section>");
        if (call.admin()) {
            h.raw("<section><h2>Fraud freeze</h2>");
            if (a.frozenForFraud()) {
                h.raw(unfreezeForm(call, a));
            } else {
                h.raw(call.form(
                        "/console/accounts/freeze",
                        "<input type=\"hidden\" name=\"account\"" + Html.attr("value", a.id().toString()) + ">"
                                + "<label>Reason <input name=\"reason\" required maxlength=\"500\"></label>",
                        "Freeze",
                        "write freeze-account"));
            }
            h.raw("</section>");
        }
        List<LedgerEntry> found = l.reads().history(new HistoryQuery(a.id(), dir, before, PAGE + 1));
        List<LedgerEntry> page = found.subList(0, Math.min(PAGE, found.size()));
        String base = "/console/accounts/" + a.id() + "?direction=";
        h.raw("<section><h2>History, newest first</h2><p class=\"filter\">");
        for (String d : List.of("all", "sent", "received")) {
            if (d.equals(direction)) {
                h.raw("<strong>").text(d).raw("</strong> ");
            } else {
                h.link(base + d, d).raw(" ");
            }
        }
        h.raw("</p>");
        entryTable(h, page, l);
        if (found.size() > PAGE) {
            String cursor = HistoryQuery.Cursor.after(page.get(page.size() - 1)).toString();
            h.raw("<p class=\"pager\">")
                    .link(base + direction + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), "older →")
                    .raw("</p>");
        }
        h.raw("</section>");
        call.page("Account " + a.username(), h);
    }

    private static void entryTable(Html h, List<LedgerEntry> entries, Ledger l) {
        if (entries.isEmpty()) {
            h.raw("<p class=\"muted\">No entries.</p>");
            return;
        }
        h.raw("<table class=\"list\" id=\"history\"><thead><tr><th>#</th><th>At</th><th>Transaction</th><th>Type</th>"
                + "<th>Currency</th><th>Gross</th><th>Tax</th><th>Net</th><th>Status</th></tr></thead><tbody>");
        for (LedgerEntry e : entries) {
            ObjectNode v = Views.entry(e, l.reads().currencyOrScale(e.currency()));
            h.raw("<tr><td>")
                    .text(Long.toString(e.seq()))
                    .raw("</td><td>")
                    .text(e.createdAt().toString())
                    .raw("</td><td>")
                    .link(transactionPath(e.transactionId()), e.transactionId())
                    .raw("</td>");
            for (String f : List.of("type", "currency", "amount_gross", "tax_withheld", "amount_net", "status")) {
                h.raw("<td>").text(v.path(f).asText("-")).raw("</td>");
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table>");
    }

    void findTransaction(ConsoleCall call) {
        Optional<String> id = call.query("id").map(String::strip);
        if (id.isPresent()) {
            call.redirect(transactionPath(id.get()));
            return;
        }
        Html h = new Html()
                .raw("<form method=\"get\" action=\"/console/transactions\" class=\"search\"><label>Transaction id ")
                .raw("<input name=\"id\" id=\"txid\" required></label><button type=\"submit\">Look up</button></form>");
        call.page("Transactions", h);
    }

    void transaction(ConsoleCall call) {
        Ledger l = call.ledger();
        LedgerEntry e = entry(l, call.path("id"));
        ObjectNode v = Views.entry(e, l.reads().currencyOrScale(e.currency()));
        Html h = new Html();
        h.raw("<section id=\"transaction\">").json(v).raw("</section>");
        h.raw("<section><h2>Inclusion proof</h2><div id=\"proof\""
                        + Html.attr("data-proof-url", transactionPath(e.transactionId()) + "/proof")
                        + Html.attr("data-leaf", e.currentHash().hex())
                        + Html.attr("data-seq", Long.toString(e.seq())) + ">")
                .raw(
                        "<p>Your browser checks that this entry's hash is in the newest signed checkpoint's tree, "
                                + "computing the SHA-256 path itself (RFC 9162): <strong id=\"proof-status\">checking…</strong></p>")
                .raw("<pre id=\"proof-detail\"></pre></div></section>");
        call.page("Transaction " + e.transactionId(), h);
    }

    /** The inclusion proof against the newest signed checkpoint, and that checkpoint, as JSON for the page's script. */
    void proof(ConsoleCall call) {
        Ledger l = call.ledger();
        LedgerEntry e = entry(l, call.path("id"));
        ObjectNode o = Views.object();
        Optional<SignedCheckpoint> cp = l.log().merkleLog().latestCheckpoint();
        if (cp.isEmpty() || cp.get().size() < e.seq()) {
            o.putNull("checkpoint");
            o.putNull("proof");
            o.put(
                    "reason",
                    cp.isEmpty()
                            ? "no checkpoint has been signed yet"
                            : "the newest checkpoint does not cover this entry yet");
        } else {
            ObjectNode c = o.putObject("checkpoint");
            c.put("tree_size", cp.get().size());
            c.put(
                    "root_hash",
                    Base64.getEncoder().encodeToString(cp.get().checkpoint().rootHash()));
            c.put("created_at", cp.get().createdAt().toString());
            o.set(
                    "proof",
                    Views.read(l.log()
                            .merkleLog()
                            .inclusionProof(e.transactionId(), cp.get().size())
                            .toJson()));
        }
        call.ctx().status(200).contentType("application/json;charset=utf-8").result(Views.compactBytes(o));
    }

    static String transactionPath(String id) {
        return "/console/transactions/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static LedgerEntry entry(Ledger l, String id) {
        return (id.length() > Command.MAX_TRANSACTION_ID
                        ? Optional.<LedgerEntry>empty()
                        : l.reads().findEntry(id))
                .orElseThrow(() -> new NotFound("no transaction " + id));
    }

    private static Account find(Ledger l, String ref) {
        return (ref.isEmpty() || ref.length() > Account.MAX_EMAIL
                        ? Optional.<Account>empty()
                        : l.reads().findAccount(ref))
                .orElseThrow(() -> new NotFound("no account " + ref));
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("after must be an account id");
        }
    }
}

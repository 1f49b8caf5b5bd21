package dev.tally.server.console;

/** The frame of every console page: head (the console's own stylesheet and script), navigation, sign-out. */
final class Layout {
    private Layout() {}

    static String page(ConsoleCall call, String title, Html body) {
        Html h = new Html();
        h.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<title>")
                .text(title)
                .raw(" · Tally console</title>")
                .raw("<link rel=\"stylesheet\" href=\"/console/assets/console.css\">")
                .raw("<script src=\"/console/assets/console.js\" defer></script></head><body>");
        h.raw("<header><a class=\"brand\" href=\"/console\">Tally</a>");
        if (call.signedIn()) {
            h.raw("<nav>")
                    .link("/console", "Overview")
                    .link("/console/verifications", "Verifications")
                    .link("/console/frozen", "Frozen accounts")
                    .link("/console/accounts", "Accounts")
                    .link("/console/transactions", "Transactions")
                    .link("/console/fraud", "Fraud review");
            if (call.admin()) {
                h.link("/console/keys", "API keys");
            }
            h.link("/console/alerts", "Alerts").raw("</nav>");
            h.raw("<span class=\"who\">")
                    .text(call.session().key().name() + " ("
                            + call.session().key().role().label() + ")")
                    .raw("</span>");
            h.raw(call.form("/console/logout", "", "Sign out", "signout"));
        }
        h.raw("</header><main><h1>").text(title).raw("</h1>").raw(body.toString());
        h.raw("</main></body></html>");
        return h.toString();
    }
}

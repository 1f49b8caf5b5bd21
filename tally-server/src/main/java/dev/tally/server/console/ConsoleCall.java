package dev.tally.server.console;

import dev.tally.ledger.Ledger;
import dev.tally.server.auth.ApiRole;
import dev.tally.server.http.ServerContext;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One console request as a page sees it: the server's parts, the signed-in session, the request's
 * parameters and the answer (a page in the console's layout, or a redirect). One per request.
 */
final class ConsoleCall {
    private final Context ctx;
    private final ServerContext server;
    private final Optional<ConsoleSessions.Session> session;
    private final ConsoleSessions sessions;

    ConsoleCall(
            Context ctx, ServerContext server, Optional<ConsoleSessions.Session> session, ConsoleSessions sessions) {
        this.ctx = ctx;
        this.server = server;
        this.session = session;
        this.sessions = sessions;
    }

    Context ctx() {
        return ctx;
    }

    ServerContext server() {
        return server;
    }

    Ledger ledger() {
        return server.ledger();
    }

    ConsoleSessions sessions() {
        return sessions;
    }

    ConsoleSessions.Session session() {
        return session.orElseThrow(() -> new IllegalStateException("an open route has no session"));
    }

    /** Whether the signed-in key may see and use write controls. */
    boolean admin() {
        return session.map(s -> s.key().role() == ApiRole.ADMIN).orElse(false);
    }

    /** Who acts, as the admin log records it: the key's name. */
    String actor() {
        return session().key().name();
    }

    String path(String name) {
        return ctx.pathParam(name);
    }

    /** A query parameter; blank counts as absent. */
    Optional<String> query(String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(s -> !s.isBlank());
    }

    /** A form field; absent is empty text. */
    String form(String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v;
    }

    /** The hidden field that carries the session's CSRF token in a form. */
    String csrfField() {
        return "<input type=\"hidden\" name=\"csrf\""
                + Html.attr("value", session().csrf()) + ">";
    }

    /** A POST form to {@code action} with the CSRF field, a button, and the given inner fields. */
    String form(String action, String fields, String button, String cssClass) {
        return "<form method=\"post\"" + Html.attr("action", action) + Html.attr("class", cssClass) + ">" + csrfField()
                + fields + "<button type=\"submit\">" + Html.escape(button) + "</button></form>";
    }

    void redirect(String to) {
        ctx.status(303).header("Location", to);
    }

    /** Answers with a page in the console's layout. */
    void page(int status, String title, Html body) {
        ctx.status(status)
                .contentType("text/html;charset=utf-8")
                .result(Layout.page(this, title, body).getBytes(StandardCharsets.UTF_8));
    }

    void page(String title, Html body) {
        page(200, title, body);
    }

    boolean signedIn() {
        return session.isPresent();
    }
}

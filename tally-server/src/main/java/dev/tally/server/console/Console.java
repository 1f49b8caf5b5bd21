package dev.tally.server.console;

import dev.tally.core.error.RejectedException;
import dev.tally.server.audit.SentAlerts;
import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiRole;
import dev.tally.server.http.ApiException;
import dev.tally.server.http.Dispatcher;
import dev.tally.server.http.Problem;
import dev.tally.server.http.ServerContext;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console at {@code /console}: sign-in with an API key into a server-side session, and pages
 * over the ledger. Every request goes through {@link #dispatch}: security headers, the session (an
 * {@code HttpOnly}, {@code SameSite=Strict} cookie; idle sessions expire), the role of the session's key
 * (admin: everything; auditor: reads; service: no access), and on every POST the session's CSRF token.
 * Writes go through the same operations as the API, so the admin log records them the same way.
 */
public final class Console {
    /** The session cookie. */
    static final String COOKIE = "tally_console";
    /** The cookie that ties the sign-in form to the browser that loaded it (the form's CSRF token). */
    static final String LOGIN_COOKIE = "tally_console_login";
    /** No inline script, no inline style, nothing from another origin, no framing. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    private static final Set<ApiRole> READ = Set.of(ApiRole.ADMIN, ApiRole.AUDITOR);
    private static final Set<ApiRole> ADMIN = Set.of(ApiRole.ADMIN);

    private final ServerContext server;
    private final ConsoleSessions sessions;
    private final List<ConsoleRoute> routes;

    /**
     * @param idle how long a session lasts without a request
     * @param alerts the alerts this process sent, for the overview and the alerts page
     */
    public Console(ServerContext server, Duration idle, SentAlerts alerts) {
        this.server = server;
        this.sessions = new ConsoleSessions(idle, server.keys(), System::nanoTime);
        Pages pages = new Pages(alerts);
        AccountPages accounts = new AccountPages();
        List<ConsoleRoute> r = new ArrayList<>();
        r.add(new ConsoleRoute("GET", "/console/login", Set.of(), SignIn::form));
        r.add(new ConsoleRoute("POST", "/console/login", Set.of(), SignIn::signIn));
        r.add(new ConsoleRoute("GET", "/console/assets/{file}", Set.of(), Assets::serve));
        r.add(new ConsoleRoute("POST", "/console/logout", READ, SignIn::signOut));
        r.add(new ConsoleRoute("GET", "/console", READ, pages::overview));
        r.add(new ConsoleRoute("POST", "/console/ledger/freeze", ADMIN, c -> Pages.ledgerFreeze(c, true)));
        r.add(new ConsoleRoute("POST", "/console/ledger/unfreeze", ADMIN, c -> Pages.ledgerFreeze(c, false)));
        r.add(new ConsoleRoute("GET", "/console/verifications", READ, Pages::verifications));
        r.add(new ConsoleRoute("GET", "/console/alerts", READ, pages::alerts));
        r.add(new ConsoleRoute("GET", "/console/frozen", READ, accounts::frozen));
        r.add(new ConsoleRoute("POST", "/console/accounts/freeze", ADMIN, c -> accounts.setFrozen(c, true)));
        r.add(new ConsoleRoute("POST", "/console/accounts/unfreeze", ADMIN, c -> accounts.setFrozen(c, false)));
        r.add(new ConsoleRoute("GET", "/console/accounts", READ, accounts::search));
        r.add(new ConsoleRoute("GET", "/console/accounts/{id}", READ, accounts::account));
        r.add(new ConsoleRoute("GET", "/console/transactions", READ, accounts::findTransaction));
        r.add(new ConsoleRoute("GET", "/console/transactions/{id}", READ, accounts::transaction));
        r.add(new ConsoleRoute("GET", "/console/transactions/{id}/proof", READ, accounts::proof));
        r.add(new ConsoleRoute("GET", "/console/fraud", READ, FraudPages::queue));
        r.add(new ConsoleRoute("POST", "/console/fraud/resolve", ADMIN, FraudPages::resolve));
        r.add(new ConsoleRoute("GET", "/console/keys", ADMIN, KeyPages::list));
        r.add(new ConsoleRoute("POST", "/console/keys", ADMIN, KeyPages::create));
        r.add(new ConsoleRoute("POST", "/console/keys/revoke", ADMIN, KeyPages::revoke));
        this.routes = List.copyOf(r);
    }

    /** Every console route, for the server to register and the role matrix to walk. */
    public List<ConsoleRoute> routes() {
        return routes;
    }

    /** The Javalin handler of a route. */
    public Handler handler(ConsoleRoute route) {
        return ctx -> dispatch(route, ctx);
    }

    private void dispatch(ConsoleRoute route, Context ctx) {
        securityHeaders(ctx);
        ctx.attribute(Dispatcher.PROBLEM_WRITTEN, true);
        if (!server.inflight().enter()) {
            ctx.header("Retry-After", "5");
            refuse(ctx, 503, "The server is shutting down.");
            return;
        }
        try {
            Optional<ConsoleSessions.Session> session =
                    Optional.ofNullable(ctx.cookie(COOKIE)).flatMap(sessions::find);
            ConsoleCall call = new ConsoleCall(ctx, server, session, sessions);
            if (!route.open()) {
                if (session.isEmpty()) {
                    if (route.method().equals("GET")) {
                        call.redirect("/console/login");
                    } else {
                        refuse(ctx, 403, "Sign in first: this form needs a console session.");
                    }
                    return;
                }
                ApiKey key = session.get().key();
                if (!route.roles().contains(key.role())) {
                    refuse(ctx, 403, "A " + key.role().label() + " key may not use " + route + ".");
                    return;
                }
                if (route.method().equals("POST") && !csrfHolds(ctx, session.get())) {
                    refuse(ctx, 403, "The form's CSRF token is missing or not this session's; reload the page.");
                    return;
                }
            }
            try {
                route.handler().handle(call);
            } catch (ApiException e) {
                failed(call, e.problem());
            } catch (RejectedException e) {
                failed(call, Problem.rejection(e.rejection()));
            } catch (NotFound e) {
                failed(
                        call,
                        new Problem(
                                "NOT_FOUND",
                                404,
                                "Not found",
                                String.valueOf(e.getMessage()),
                                Optional.empty(),
                                java.util.Map.of()));
            } catch (IllegalArgumentException e) {
                failed(call, Problem.invalid("input", String.valueOf(e.getMessage())));
            }
        } catch (Exception e) {
            String reference = UUID.randomUUID().toString();
            LOG.error("{} {} failed (reference {})", ctx.method(), ctx.path(), reference, e);
            refuse(ctx, 500, "The request failed on the server; quote reference " + reference + " to the operator.");
        } finally {
            server.inflight().exit();
        }
    }

    private static boolean csrfHolds(Context ctx, ConsoleSessions.Session session) {
        String sent = ctx.formParam("csrf");
        return sent != null && ConsoleSessions.sameToken(session.csrf(), sent);
    }

    private static void failed(ConsoleCall call, Problem p) {
        Html body = new Html().raw("<p class=\"error\">").text(p.detail()).raw("</p>");
        call.page(p.status(), p.title(), body);
    }

    /** A bare refusal page (no session-dependent layout: the request may have none). */
    static void refuse(Context ctx, int status, String message) {
        Html h = new Html()
                .raw(
                        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Refused · Tally console</title>")
                .raw("<link rel=\"stylesheet\" href=\"/console/assets/console.css\"></head><body><main>")
                .raw("<h1>Refused</h1><p class=\"error\">")
                .text(message)
                .raw("</p><p><a href=\"/console\">Back to the console</a></p></main></body></html>");
        ctx.status(status).contentType("text/html;charset=utf-8").result(h.toString());
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }
}

package dev.tally.server.console;

import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiRole;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.Optional;

/**
 * Sign-in with an API key (field {@code api_key}) and sign-out. The sign-in form carries a token also set in a
 * short-lived cookie, so that another site cannot sign a browser in to a session of its choosing.
 */
final class SignIn {
    private SignIn() {}

    static void form(ConsoleCall call) {
        String token = ConsoleSessions.token();
        call.ctx().cookie(cookie(call.ctx(), Console.LOGIN_COOKIE, token, 600));
        render(call, 200, token, Optional.empty());
    }

    static void signIn(ConsoleCall call) {
        Context ctx = call.ctx();
        String expected = ctx.cookie(Console.LOGIN_COOKIE);
        String sent = call.form("csrf");
        if (expected == null || sent.isEmpty() || !ConsoleSessions.sameToken(expected, sent)) {
            Console.refuse(ctx, 403, "The sign-in form's token is missing or stale; load the sign-in page again.");
            return;
        }
        String secret = call.form("api_key").strip();
        Optional<ApiKey> key =
                secret.isEmpty() ? Optional.empty() : call.server().keys().authenticate(secret);
        if (key.isEmpty()) {
            render(call, 401, expected, Optional.of("That API key is unknown or revoked."));
            return;
        }
        if (key.get().role() == ApiRole.SERVICE) {
            render(
                    call,
                    403,
                    expected,
                    Optional.of("A service key has no console access; sign in with an admin or auditor key."));
            return;
        }
        ConsoleSessions.Session session = call.sessions().open(key.get());
        ctx.cookie(cookie(ctx, Console.LOGIN_COOKIE, "", 0));
        ctx.cookie(cookie(ctx, Console.COOKIE, session.id(), -1));
        call.redirect("/console");
    }

    static void signOut(ConsoleCall call) {
        call.sessions().close(call.session().id());
        call.ctx().cookie(cookie(call.ctx(), Console.COOKIE, "", 0));
        call.redirect("/console/login");
    }

    private static void render(ConsoleCall call, int status, String token, Optional<String> error) {
        Html body = new Html();
        error.ifPresent(e -> body.raw("<p class=\"error\">").text(e).raw("</p>"));
        body.raw("<form method=\"post\" action=\"/console/login\" class=\"login\">")
                .raw("<input type=\"hidden\" name=\"csrf\"" + Html.attr("value", token) + ">")
                .raw(
                        "<label>API key <input type=\"password\" name=\"api_key\" id=\"api_key\" autocomplete=\"off\" required></label>")
                .raw("<button type=\"submit\" id=\"signin\">Sign in</button></form>")
                .raw(
                        "<p class=\"muted\">Admin keys see and do everything; auditor keys read only; service keys have no console access.</p>");
        call.page(status, "Sign in", body);
    }

    /** A console cookie: HttpOnly, SameSite=Strict, scoped to the console, Secure over HTTPS. */
    private static Cookie cookie(Context ctx, String name, String value, int maxAge) {
        return new Cookie(name, value, "/console", maxAge, ctx.scheme().equals("https"), true, null, SameSite.STRICT);
    }
}

package dev.tally.server.console;

import dev.tally.server.auth.ApiRole;
import java.util.Objects;
import java.util.Set;

/**
 * One console page or form target: method, path (Javalin's {@code {id}} syntax) and the key roles whose
 * sessions may use it (empty: no session needed, the sign-in form and the static assets). Every POST route
 * but the sign-in also requires the session's CSRF token. Data, so that the role matrix can be tested.
 */
public record ConsoleRoute(String method, String path, Set<ApiRole> roles, Handler handler) {
    /** What a route does for a request that passed the session, role and CSRF checks. */
    @FunctionalInterface
    interface Handler {
        void handle(ConsoleCall call) throws Exception;
    }

    public ConsoleRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(handler, "handler");
    }

    /** Whether the route needs no session. */
    public boolean open() {
        return roles.isEmpty();
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}

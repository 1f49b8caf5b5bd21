package dev.tally.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.json.Views;
import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiRole;
import dev.tally.server.auth.IssuedKey;
import dev.tally.server.json.KeyViews;
import java.util.List;

/**
 * API keys and the admin log over HTTP, for admins (the same as {@code tally apikey}); auditors may read
 * the admin log. A new key's secret is in the 201 answer once and never again.
 */
final class KeyRoutes {
    private KeyRoutes() {}

    static List<Route> routes() {
        return List.of(
                new Route(
                        "GET",
                        "/v1/admin/api-keys",
                        Access.ADMIN,
                        "List API keys (never their secrets)",
                        KeyRoutes::list),
                new Route(
                        "POST",
                        "/v1/admin/api-keys",
                        Access.ADMIN,
                        "Create an API key; its secret is shown once",
                        KeyRoutes::create),
                new Route("DELETE", "/v1/admin/api-keys/{name}", Access.ADMIN, "Revoke an API key", KeyRoutes::revoke),
                new Route(
                        "GET",
                        "/v1/admin/actions",
                        Access.AUDIT,
                        "Recorded admin actions, newest first",
                        KeyRoutes::actions));
    }

    private static void list(Call call) {
        ArrayNode keys = Views.array();
        call.server().keys().list().forEach(k -> keys.add(KeyViews.apiKey(k)));
        ObjectNode o = Views.object();
        o.set("api_keys", keys);
        call.json(200, o);
    }

    private static void create(Call call) {
        JsonBody body = call.body().only("name", "role");
        String name = body.string("name", ApiKey.MAX_NAME);
        String roleText = body.string("role", 16);
        ApiRole role = ApiRole.parse(roleText)
                .orElseThrow(() -> ApiException.invalid("role", "role must be admin, service or auditor"));
        IssuedKey issued = AdminOperations.createKey(call.server(), call.actor(), name, role);
        ObjectNode o = KeyViews.apiKey(issued.key());
        o.put("secret", issued.secret());
        call.responseHeader("Cache-Control", "no-store");
        call.json(201, o);
    }

    private static void revoke(Call call) {
        String name = call.path("name");
        call.json(200, KeyViews.apiKey(AdminOperations.revokeKey(call.server(), call.actor(), name)));
    }

    private static void actions(Call call) {
        ArrayNode a = Views.array();
        call.server().adminLog().recent(call.limit()).forEach(x -> a.add(KeyViews.adminAction(x)));
        ObjectNode o = Views.object();
        o.set("actions", a);
        call.json(200, o);
    }
}

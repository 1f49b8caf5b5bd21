package dev.tally.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.json.Views;
import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiRole;
import dev.tally.server.auth.IssuedKey;
import dev.tally.server.json.KeyViews;
import java.util.List;
import java.util.Optional;

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
        try {
            ApiKey.requireValidName(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("name", e);
        }
        if (call.server().keys().findActive(name).isPresent()) {
            throw new ApiException(new Problem(
                    ApiCode.DUPLICATE_KEY_NAME.name(),
                    ApiCode.DUPLICATE_KEY_NAME.status(),
                    ApiCode.DUPLICATE_KEY_NAME.title(),
                    "a live key named " + name + " exists; revoke it first or choose another name",
                    Optional.of("name"),
                    java.util.Map.of()));
        }
        IssuedKey issued =
                call.server().keys().issue(name, role, call.server().clock().instant());
        call.recordAdminAction("APIKEY_CREATE", Optional.of(name), Optional.of("role " + role.label()));
        ObjectNode o = KeyViews.apiKey(issued.key());
        o.put("secret", issued.secret());
        call.responseHeader("Cache-Control", "no-store");
        call.json(201, o);
    }

    private static void revoke(Call call) {
        String name = call.path("name");
        ApiKey key = call.server()
                .keys()
                .findActive(name)
                .orElseThrow(() -> ApiException.of(ApiCode.NOT_FOUND, "no live key named " + name));
        switch (call.server()
                .keys()
                .revokeUnlessLastAdmin(name, call.server().clock().instant())) {
            case REVOKED -> {}
            case NO_LIVE_KEY -> throw ApiException.of(ApiCode.NOT_FOUND, "no live key named " + name);
            case LAST_OF_ROLE ->
                throw ApiException.of(
                        ApiCode.LAST_ADMIN_KEY,
                        "revoking " + name + " would leave no admin key; create another admin key first");
        }
        call.recordAdminAction("APIKEY_REVOKE", Optional.of(name), Optional.empty());
        call.json(
                200,
                KeyViews.apiKey(call.server().keys().list().stream()
                        .filter(k -> k.id().equals(key.id()))
                        .findFirst()
                        .orElseThrow()));
    }

    private static void actions(Call call) {
        ArrayNode a = Views.array();
        call.server().adminLog().recent(call.limit()).forEach(x -> a.add(KeyViews.adminAction(x)));
        ObjectNode o = Views.object();
        o.set("actions", a);
        call.json(200, o);
    }
}

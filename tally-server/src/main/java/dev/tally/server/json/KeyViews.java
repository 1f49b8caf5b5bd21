package dev.tally.server.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.json.Views;
import dev.tally.server.auth.AdminAction;
import dev.tally.server.auth.ApiKey;
import java.time.Instant;

/**
 * The JSON shapes of what only the server has, API keys and the admin log, in the style of
 * {@link Views}: snake_case names, ISO-8601 UTC times, {@code null} for an absent value.
 */
public final class KeyViews {
    private KeyViews() {}

    /** An API key as listed (never its secret): {@code id, name, role, created_at, revoked_at, active}. */
    public static ObjectNode apiKey(ApiKey k) {
        ObjectNode o = Views.object();
        o.put("id", k.id().toString());
        o.put("name", k.name());
        o.put("role", k.role().label());
        o.put("created_at", k.createdAt().toString());
        Views.putOptional(o, "revoked_at", k.revokedAt().map(Instant::toString));
        o.put("active", k.active());
        return o;
    }

    /** A recorded admin action: {@code id, at, key_name, action, target, detail}. */
    public static ObjectNode adminAction(AdminAction a) {
        ObjectNode o = Views.object();
        o.put("id", a.id());
        o.put("at", a.at().toString());
        o.put("key_name", a.keyName());
        o.put("action", a.action());
        Views.putOptional(o, "target", a.target());
        Views.putOptional(o, "detail", a.detail());
        return o;
    }
}

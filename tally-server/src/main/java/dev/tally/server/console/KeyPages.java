package dev.tally.server.console;

import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiRole;
import dev.tally.server.auth.IssuedKey;
import dev.tally.server.http.AdminOperations;
import java.time.Instant;

/** API keys, for admins: the list, a new key (its secret shown on this one page only), revocation. */
final class KeyPages {
    private KeyPages() {}

    static void list(ConsoleCall call) {
        call.page("API keys", listing(call, new Html()));
    }

    static void create(ConsoleCall call) {
        ApiRole role = ApiRole.parse(call.form("role"))
                .orElseThrow(() -> new IllegalArgumentException("role must be admin, service or auditor"));
        IssuedKey issued = AdminOperations.createKey(
                call.server(), call.actor(), call.form("name").strip(), role);
        Html h = new Html()
                .raw("<section class=\"secret\"><p>The secret of the new key ")
                .text(issued.key().name())
                .raw(" is shown this once; store it now:</p><p><code id=\"new-secret\">")
                .text(issued.secret())
                .raw("</code></p></section>");
        call.page("API keys", listing(call, h));
    }

    static void revoke(ConsoleCall call) {
        AdminOperations.revokeKey(call.server(), call.actor(), call.form("name").strip());
        call.redirect("/console/keys");
    }

    private static Html listing(ConsoleCall call, Html h) {
        h.raw("<section><h2>New key</h2>")
                .raw(call.form(
                        "/console/keys",
                        "<label>Name <input name=\"name\" id=\"key-name\" required maxlength=\"64\"></label>"
                                + "<label>Role <select name=\"role\" id=\"key-role\"><option>auditor</option>"
                                + "<option>service</option><option>admin</option></select></label>",
                        "Create",
                        "write create-key"))
                .raw("</section>");
        h.raw("<section><h2>Keys</h2><table class=\"list\" id=\"keys\"><thead><tr><th>Name</th><th>Role</th>"
                + "<th>Created</th><th>Revoked</th><th></th></tr></thead><tbody>");
        for (ApiKey k : call.server().keys().list()) {
            h.raw("<tr><td>")
                    .text(k.name())
                    .raw("</td><td>")
                    .text(k.role().label())
                    .raw("</td><td>")
                    .text(k.createdAt().toString())
                    .raw("</td><td>")
                    .text(k.revokedAt().map(Instant::toString).orElse(""))
                    .raw("</td><td>");
            if (k.active()) {
                h.raw(call.form(
                        "/console/keys/revoke",
                        "<input type=\"hidden\" name=\"name\"" + Html.attr("value", k.name()) + ">",
                        "Revoke",
                        "write revoke-key"));
            }
            h.raw("</td></tr>");
        }
        h.raw("</tbody></table></section>");
        return h;
    }
}

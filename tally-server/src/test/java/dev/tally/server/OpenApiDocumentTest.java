package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.error.RejectionCode;
import dev.tally.server.http.ApiCode;
import dev.tally.server.http.Route;
import dev.tally.store.testing.StoreKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hand-written OpenAPI document ({@code openapi.yaml}) and the route table ({@link TallyServer#routes()})
 * agree: every /v1 route is documented with its roles, every documented path is served, and every operation
 * lists its error answers as problems with the stable codes they carry. A new route fails here until it has its
 * entry in the document. (That every answer the tests receive matches the document is {@link OpenApiContract}'s
 * job, in the shared clients.)
 */
class OpenApiDocumentTest {
    private static Running server;
    private static JsonNode doc;

    @BeforeAll
    static void start() {
        server = Running.start(StoreKind.SQLITE);
        Response r = server.http.get("/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        doc = r.json();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theDocumentIsOpenApi31() {
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    void everyV1RouteIsDocumentedAndEveryDocumentedOperationIsServed() {
        Set<String> served = new TreeSet<>();
        for (Route route : server.server.routes()) {
            if (!excluded(route.path())) {
                served.add(route.method() + " " + route.path());
            }
        }
        assertThat(documentedOperations())
                .as("operations in openapi.yaml vs routes of TallyServer.routes() (a non-API route may be "
                        + "listed in OpenApiContract.NOT_API with its reason)")
                .isEqualTo(served);
    }

    @Test
    void nothingUnderV1IsExcludedFromTheDocument() {
        assertThat(OpenApiContract.NOT_API.keySet()).noneMatch(prefix -> prefix.startsWith("/v1"));
    }

    @Test
    void everyOperationNamesTheRolesOfItsRouteAndHasASummary() {
        for (Route route : server.server.routes()) {
            if (excluded(route.path())) {
                continue;
            }
            JsonNode op = operation(route);
            List<String> roles = new ArrayList<>();
            op.path("x-roles").forEach(x -> roles.add(x.asText()));
            List<String> expected =
                    route.access().roles().stream().map(x -> x.label()).sorted().toList();
            assertThat(roles.stream().sorted().toList())
                    .as("x-roles of " + route)
                    .isEqualTo(expected);
            assertThat(op.path("summary").asText()).as(route + " has a summary").isNotBlank();
        }
    }

    @Test
    void everyKeyedOperationDocumentsItsAuthenticationAndRoleRefusals() {
        for (Route route : server.server.routes()) {
            if (excluded(route.path()) || route.access().open()) {
                continue;
            }
            JsonNode responses = operation(route).get("responses");
            assertThat(codes(responses.get("401"))).as("401 of " + route).contains("UNAUTHORIZED");
            assertThat(codes(responses.get("403"))).as("403 of " + route).contains("FORBIDDEN");
        }
    }

    @Test
    void everyErrorAnswerIsAProblemWhoseCodesCarryThatStatus() {
        Map<String, Integer> statusOf = new HashMap<>();
        for (RejectionCode c : RejectionCode.values()) {
            statusOf.put(c.name(), c.httpStatus());
        }
        for (ApiCode c : ApiCode.values()) {
            statusOf.put(c.name(), c.status());
        }
        forEachOperation((name, op) -> op.get("responses").properties().forEach(e -> {
            String status = e.getKey();
            if (!status.matches("[45]\\d\\d") || name.contains("/health")) {
                return;
            }
            List<String> codes = codes(e.getValue());
            assertThat(codes)
                    .as(name + " " + status + " lists its problem codes")
                    .isNotEmpty();
            for (String code : codes) {
                assertThat(statusOf)
                        .as(name + " " + status + ": " + code + " is a stable code")
                        .containsKey(code);
                assertThat(statusOf.get(code))
                        .as(name + " " + status + ": " + code + " is answered with that status")
                        .isEqualTo(Integer.parseInt(status));
            }
        }));
    }

    @Test
    void everyStableCodeIsListedInTheProblemSchema() {
        String codes =
                doc.at("/components/schemas/Problem/properties/code/examples").toString();
        for (RejectionCode c : RejectionCode.values()) {
            assertThat(codes).as("code %s is documented", c).contains("\"" + c.name() + "\"");
        }
        for (ApiCode c : ApiCode.values()) {
            assertThat(codes).as("code %s is documented", c).contains("\"" + c.name() + "\"");
        }
    }

    /**
     * YAML reads an unquoted {@code a, b: c} inside {@code {...}} as more keys, so a description's words become
     * property names; no key of this document has a space.
     */
    @Test
    void noKeyOfTheDocumentIsTextThatYamlSplitOffADescription() {
        List<String> bad = new ArrayList<>();
        collectKeysWithSpaces(doc, "", bad);
        assertThat(bad).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static boolean excluded(String path) {
        return OpenApiContract.outsideTheApi(path);
    }

    private static Set<String> documentedOperations() {
        Set<String> documented = new TreeSet<>();
        forEachOperation((name, op) -> documented.add(name));
        return documented;
    }

    /** Calls back with "METHOD /path" and the operation object, for every operation of the document. */
    private static void forEachOperation(java.util.function.BiConsumer<String, JsonNode> each) {
        Iterator<Map.Entry<String, JsonNode>> paths =
                doc.get("paths").properties().iterator();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().properties().forEach(m -> {
                if (Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace")
                        .contains(m.getKey())) {
                    each.accept(m.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), m.getValue());
                }
            });
        }
    }

    private static JsonNode operation(Route route) {
        JsonNode op = doc.path("paths").path(route.path()).path(route.method().toLowerCase(Locale.ROOT));
        assertThat(op.isMissingNode()).as(route + " is in openapi.yaml").isFalse();
        return op;
    }

    /** The codes a response's problem schema allows (its {@code code} enum), following $refs. */
    private static List<String> codes(JsonNode response) {
        List<String> codes = new ArrayList<>();
        if (response == null) {
            return codes;
        }
        JsonNode resolved = deref(response);
        JsonNode schema = deref(resolved.at("/content/application~1problem+json/schema"));
        for (JsonNode part : schema.path("allOf")) {
            deref(part).at("/properties/code/enum").forEach(c -> codes.add(c.asText()));
        }
        schema.at("/properties/code/enum").forEach(c -> codes.add(c.asText()));
        return codes;
    }

    private static JsonNode deref(JsonNode node) {
        JsonNode at = node;
        while (at.path("$ref").isTextual()) {
            at = doc.at(at.get("$ref").asText().substring(1));
        }
        return at;
    }

    private static void collectKeysWithSpaces(JsonNode node, String where, List<String> bad) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                String at = where + "/" + e.getKey();
                if (e.getKey().contains(" ") && !where.endsWith("/examples")) {
                    bad.add(at);
                }
                collectKeysWithSpaces(e.getValue(), at, bad);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectKeysWithSpaces(node.get(i), where + "/" + i, bad);
            }
        }
    }
}

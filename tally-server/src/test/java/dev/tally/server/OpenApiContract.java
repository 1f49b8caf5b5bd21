package dev.tally.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks an answer of the server against the OpenAPI document with a JSON Schema validator (networknt, in the
 * OpenAPI 3.1 dialect): the status must be documented for the operation (or covered by its {@code default}),
 * the Content-Type must be one the document lists for it, and the body must validate against that schema.
 * The shared test clients call {@link #check} on every answer, so every server test checks the document.
 */
final class OpenApiContract {
    /**
     * Served trees that are not part of the JSON API, by path prefix, each with the reason: they need no entry in
     * the document and their answers are not checked against it. Nothing under /v1 may be listed here.
     */
    static final Map<String, String> NOT_API = Map.of(
            "/console", "the HTML console is pages for people, not JSON for clients",
            "/log/", "the C2SP tlog-tiles tree has its own specification (c2sp.org/tlog-tiles)");

    /**
     * Refusals that come from an operation's own rules, which every /v1 operation must list with their codes; the
     * rest (400 from Jetty, 405, 413 on a read, 500) may fall to {@code default}.
     */
    private static final java.util.Set<Integer> MUST_BE_LISTED =
            java.util.Set.of(401, 403, 404, 409, 412, 422, 423, 428);

    private static final String DOCUMENT = "https://tally.invalid/openapi.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final OpenApiContract INSTANCE = new OpenApiContract(TallyServer.openApi());

    private final JsonNode doc;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    OpenApiContract(JsonNode doc) {
        this.doc = doc;
        String text = doc.toString();
        this.registry = SchemaRegistry.withDefaultDialect(
                Dialects.getOpenApi31(),
                b -> b.schemas(Map.of(DOCUMENT, text))
                        .schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .formatAssertionsEnabled(true)
                                .build()));
    }

    static OpenApiContract instance() {
        return INSTANCE;
    }

    /** Throws an AssertionError naming the request when the answer does not match the document. */
    static void check(String method, String target, int status, Optional<String> contentType, String body) {
        List<String> problems = INSTANCE.mismatches(method, target, status, contentType, body);
        if (!problems.isEmpty()) {
            throw new AssertionError("the answer to " + method + " " + clip(target) + " (" + status
                    + ") does not match " + "openapi.yaml: " + problems + "\nbody: " + clip(body));
        }
    }

    /** What does not match; empty when the answer is as documented. */
    List<String> mismatches(String method, String target, int status, Optional<String> contentType, String body) {
        String raw = URI.create(target).getRawPath();
        // Javalin serves /v1/accounts/ as /v1/accounts (it ignores a trailing slash), so the document's path counts.
        String path = raw.length() > 1 && raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        if (outsideTheApi(path)) {
            return List.of();
        }
        Optional<String> template = template(path);
        JsonNode operation = template.map(t -> doc.get("paths").get(t).path(method.toLowerCase(Locale.ROOT)))
                .orElse(MAPPER.missingNode());
        if (operation.isMissingNode()) {
            // No such operation: the server answers a problem (404 NOT_FOUND, 405 METHOD_NOT_ALLOWED, a Jetty
            // refusal of a malformed request), which must still be a well-formed problem.
            if (status < 400) {
                return List.of("no operation " + method + " " + path + " in the document, yet the status is " + status);
            }
            return bodyAgainst("#/components/responses/Problem", contentType, body);
        }
        String pointer = "#/paths/" + escape(template.get()) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/";
        JsonNode responses = operation.path("responses");
        if (responses.has(String.valueOf(status))) {
            return bodyAgainst(pointer + status, contentType, body);
        }
        if (MUST_BE_LISTED.contains(status) && template.get().startsWith("/v1/")) {
            return List.of("status " + status + " is not listed for " + method + " " + template.get()
                    + " (a refusal of the operation itself must be listed with its codes, not left to default)");
        }
        if (responses.has("default") && status >= 400) {
            return bodyAgainst(pointer + "default", contentType, body);
        }
        return List.of("status " + status + " is not documented for " + method + " " + template.get());
    }

    /** Whether a path is in one of the {@link #NOT_API} trees. */
    static boolean outsideTheApi(String path) {
        return NOT_API.keySet().stream().anyMatch(path::startsWith);
    }

    /** The document's path template that matches a concrete path, literal segments winning over parameters. */
    Optional<String> template(String path) {
        String best = null;
        int bestParams = Integer.MAX_VALUE;
        Iterator<String> names = doc.get("paths").fieldNames();
        while (names.hasNext()) {
            String candidate = names.next();
            int params = matchParams(candidate, path);
            if (params >= 0 && params < bestParams) {
                best = candidate;
                bestParams = params;
            }
        }
        return Optional.ofNullable(best);
    }

    /** How many parameters the template used to match the path, or -1 when it does not match. */
    private static int matchParams(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return -1;
        }
        int params = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
                if (p[i].isEmpty()) {
                    return -1;
                }
                params++;
            } else if (!t[i].equals(p[i])) {
                return -1;
            }
        }
        return params;
    }

    private List<String> bodyAgainst(String responsePointer, Optional<String> contentType, String body) {
        JsonNode response = resolve(responsePointer);
        String resolvedPointer =
                response.path("$ref").isTextual() ? response.get("$ref").asText() : responsePointer;
        JsonNode resolved = response.path("$ref").isTextual() ? resolve(resolvedPointer) : response;
        JsonNode content = resolved.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return List.of();
        }
        String media = contentType
                .map(c -> c.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .orElse("");
        if (!content.has(media)) {
            List<String> allowed = new ArrayList<>();
            content.fieldNames().forEachRemaining(allowed::add);
            return List.of("Content-Type " + contentType.orElse("(none)") + " is not one of " + allowed + " ("
                    + resolvedPointer + ")");
        }
        if (!media.endsWith("json")) {
            return List.of();
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (Exception e) {
            return List.of("the body is not JSON: " + e.getMessage());
        }
        String schemaPointer = resolvedPointer + "/content/" + escape(media) + "/schema";
        Schema schema = schemas.computeIfAbsent(
                schemaPointer,
                // A URI fragment may not hold braces, which path templates have.
                p -> registry.getSchema(
                        SchemaLocation.of(DOCUMENT + p.replace("{", "%7B").replace("}", "%7D"))));
        List<String> errors = new ArrayList<>();
        for (Error e : schema.validate(json)) {
            errors.add(e.getInstanceLocation() + " " + e.getMessage() + " (" + e.getSchemaLocation() + ")");
        }
        return errors;
    }

    private JsonNode resolve(String pointer) {
        JsonNode node = doc.at(pointer.substring(1));
        if (node.isMissingNode()) {
            throw new AssertionError("openapi.yaml has nothing at " + pointer);
        }
        return node;
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    private static String clip(String s) {
        return s.length() <= 600 ? s : s.substring(0, 600) + "...";
    }
}

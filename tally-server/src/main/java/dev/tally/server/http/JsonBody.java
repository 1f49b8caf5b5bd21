package dev.tally.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.ledger.Metadata;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * A request's JSON object, read strictly: duplicate keys, trailing data, deep nesting and non-JSON
 * syntax are malformed (400); a field of the wrong JSON type, a string that is too long, or a field the
 * route does not know is invalid (422, naming the field). Strings stay strings: an amount sent as a JSON
 * number is refused, so no client ever sends money through floating point. Not thread-safe (one per request).
 */
public final class JsonBody {
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxNumberLength(64)
                            .build())
                    // One shared buffer pool (at most 256 kept): the default is per thread, and every request has a new
                    // virtual thread.
                    .recyclerPool(JsonRecyclerPools.newBoundedPool(256))
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final ObjectNode node;
    private final String prefix;

    private JsonBody(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /** Parses a body that must be one JSON object. */
    public static JsonBody parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw ApiException.of(ApiCode.MALFORMED_JSON, "a JSON object body is required");
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(bytes);
        } catch (JacksonException e) {
            throw ApiException.of(
                    ApiCode.MALFORMED_JSON, "the body is not valid JSON: " + clip(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw ApiException.of(ApiCode.MALFORMED_JSON, "the body could not be read");
        }
        if (!(tree instanceof ObjectNode o)) {
            throw ApiException.of(ApiCode.MALFORMED_JSON, "the body must be a JSON object");
        }
        return new JsonBody(o, "");
    }

    /** An empty body (for routes whose body is optional). */
    public static JsonBody empty() {
        return new JsonBody(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), "");
    }

    /** A nested object, e.g. one transfer of a batch, whose field names are reported as {@code transfers[3].amount}. */
    public static JsonBody nested(JsonNode item, String prefix) {
        if (!(item instanceof ObjectNode o)) {
            throw ApiException.invalid(
                    prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), "must be a JSON object");
        }
        return new JsonBody(o, prefix);
    }

    /** The full name of a field, with this body's prefix. */
    public String name(String field) {
        return prefix + field;
    }

    /** A required string field of 1 to {@code max} characters. */
    public String string(String field, int max) {
        return optionalString(field, max)
                .orElseThrow(() -> ApiException.invalid(name(field), name(field) + " is required"));
    }

    /** An optional string field; present but empty counts as absent only when {@code null}. */
    public Optional<String> optionalString(String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw ApiException.invalid(
                    name(field),
                    name(field) + " must be a JSON string, not " + kind(v)
                            + (field.equals("amount") ? " (send amounts as decimal strings such as \"12.50\")" : ""));
        }
        String s = v.textValue();
        if (s.isEmpty()) {
            throw ApiException.invalid(name(field), name(field) + " must not be empty");
        }
        if (s.length() > max) {
            throw ApiException.invalid(name(field), name(field) + " is longer than " + max + " characters");
        }
        return Optional.of(s);
    }

    /** An optional boolean field. */
    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw ApiException.invalid(name(field), name(field) + " must be true or false, not " + kind(v));
        }
        return Optional.of(v.booleanValue());
    }

    /**
     * The optional {@code metadata} object of a money command: string values only; refused (field
     * {@code metadata}) when it breaks {@link Metadata}'s limits. Empty when absent or null.
     */
    public Metadata metadata() {
        JsonNode v = node.get("metadata");
        if (v == null || v.isNull()) {
            return Metadata.EMPTY;
        }
        if (!(v instanceof ObjectNode o)) {
            throw ApiException.invalid(name("metadata"), name("metadata") + " must be a JSON object, not " + kind(v));
        }
        if (o.size() > Metadata.MAX_KEYS) {
            throw ApiException.invalid(
                    name("metadata"), "metadata has " + o.size() + " keys; at most " + Metadata.MAX_KEYS);
        }
        java.util.Map<String, String> values = new java.util.TreeMap<>();
        for (var field : o.properties()) {
            if (!field.getValue().isTextual()) {
                throw ApiException.invalid(
                        name("metadata." + field.getKey()),
                        "metadata values must be JSON strings, not " + kind(field.getValue()));
            }
            values.put(field.getKey(), field.getValue().textValue());
        }
        try {
            return Metadata.of(values);
        } catch (Metadata.InvalidMetadataException e) {
            throw ApiException.invalid(name("metadata"), e);
        }
    }

    /** An optional integer field. */
    public Optional<Long> optionalLong(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.invalid(name(field), name(field) + " must be an integer, not " + kind(v));
        }
        return Optional.of(v.longValue());
    }

    /** The same body without some fields (already read by the caller). */
    public JsonBody without(String... fields) {
        ObjectNode copy = node.deepCopy();
        for (String f : fields) {
            copy.remove(f);
        }
        return new JsonBody(copy, prefix);
    }

    /** A required array field. */
    public ArrayNode array(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw ApiException.invalid(name(field), name(field) + " is required");
        }
        if (!(v instanceof ArrayNode a)) {
            throw ApiException.invalid(name(field), name(field) + " must be a JSON array, not " + kind(v));
        }
        return a;
    }

    /**
     * Refuses any field but these, before anything else is checked: a misspelt field must be reported as
     * itself ("unknown field amout"), not as the missing one, and never silently ignored.
     */
    public JsonBody only(String... fields) {
        Set<String> allowed = Set.of(fields);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw ApiException.invalid(
                        name(n), "unknown field " + name(n) + " (expected " + String.join(", ", fields) + ")");
            }
        }
        return this;
    }

    private static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            default -> "null";
        };
    }

    private static String clip(String message) {
        String m = message == null ? "" : message.replaceAll("\\s+", " ");
        return m.length() <= 200 ? m : m.substring(0, 200) + "...";
    }
}

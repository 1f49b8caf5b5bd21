package dev.tally.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.error.Rejection;
import dev.tally.json.Views;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An error answer in RFC 9457's {@code application/problem+json}: {@code type}, {@code title},
 * {@code status}, {@code detail} and {@code instance}, plus Tally's stable machine {@code code} and, for a
 * validation failure, the {@code field} at fault. {@code extensions} carries extra members (the per-item
 * results of a failed linked batch). A problem never carries a stack trace or internal message.
 */
public record Problem(
        String code,
        int status,
        String title,
        String detail,
        Optional<String> field,
        Map<String, JsonNode> extensions) {
    /** The media type of every error answer. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** The Content-Type of every error answer: its body is UTF-8, and says so, as every JSON answer does. */
    public static final String CONTENT_TYPE = MEDIA_TYPE + ";charset=utf-8";

    public Problem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(field, "field");
        extensions = Map.copyOf(extensions);
    }

    /** An HTTP-level failure. */
    public static Problem of(ApiCode code, String detail) {
        return new Problem(code.name(), code.status(), code.title(), detail, Optional.empty(), Map.of());
    }

    /** A 422 for one input field. */
    public static Problem invalid(String field, String detail) {
        return new Problem(
                ApiCode.VALIDATION_FAILED.name(),
                422,
                ApiCode.VALIDATION_FAILED.title(),
                detail,
                Optional.of(field),
                Map.of());
    }

    /** The ledger refused a command: its code, its HTTP status, its sentence. */
    public static Problem rejection(Rejection r) {
        return new Problem(
                r.code().name(), r.code().httpStatus(), titleOf(r.code().name()), r.message(), r.field(), Map.of());
    }

    /** This problem with an extension member. */
    public Problem with(String member, JsonNode value) {
        Map<String, JsonNode> more = new java.util.LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(code, status, title, detail, field, more);
    }

    /** {@code urn:tally:problem:insufficient-funds}: a stable URI per code, as RFC 9457 §3.1.1 asks. */
    public String type() {
        return "urn:tally:problem:" + code.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The JSON document; {@code instance} is the request path. */
    public ObjectNode toJson(String instance) {
        ObjectNode o = Views.object();
        o.put("type", type());
        o.put("title", title);
        o.put("status", status);
        o.put("detail", detail);
        o.put("instance", instance);
        o.put("code", code);
        field.ifPresent(f -> o.put("field", f));
        extensions.forEach(o::set);
        return o;
    }

    /** {@code INSUFFICIENT_FUNDS} → {@code Insufficient funds}. */
    static String titleOf(String code) {
        String words = code.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}

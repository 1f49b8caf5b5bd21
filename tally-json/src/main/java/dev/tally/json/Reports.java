package dev.tally.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The audit reports' JSON: the core gives a report as plain values (maps in report order, lists, strings,
 * numbers, booleans; see {@code VerificationReport.toMap()}), and this turns them into a tree in one pass.
 * The tree is the one {@code dev.tally.core.audit.ReportJson} writes as text for the stored runs, so a
 * report printed by the CLI and one kept by the store say the same; other values are written as their
 * {@code toString()}, as there.
 */
public final class Reports {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Reports() {}

    /** The tree of a report's plain values. */
    public static JsonNode tree(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case String s -> NODES.textNode(s);
            case Boolean b -> NODES.booleanNode(b);
            case Long n -> NODES.numberNode(n);
            case Integer n -> NODES.numberNode(n);
            case Double n -> NODES.numberNode(n);
            case Float n -> NODES.numberNode(n);
            case BigDecimal n -> NODES.numberNode(n);
            case BigInteger n -> NODES.numberNode(n);
            case Number n -> NODES.numberNode(new BigDecimal(n.toString()));
            case Map<?, ?> map -> object(map);
            case List<?> list -> array(list);
            default -> NODES.textNode(value.toString());
        };
    }

    /** The tree of a report given as a map, for answers that add fields around it. */
    public static ObjectNode object(Map<?, ?> map) {
        ObjectNode o = NODES.objectNode();
        map.forEach((k, v) -> o.set(String.valueOf(k), tree(v)));
        return o;
    }

    private static ArrayNode array(List<?> list) {
        ArrayNode a = NODES.arrayNode(list.size());
        list.forEach(v -> a.add(tree(v)));
        return a;
    }
}

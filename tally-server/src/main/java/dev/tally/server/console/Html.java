package dev.tally.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Builds console HTML. Every text that goes in passes through {@link #text} (element content) or {@link #attr}
 * (attribute values), so a value from the ledger (a username, an e-mail, a reason) is always shown as text and
 * never read as markup. Not thread-safe; one per page.
 */
final class Html {
    private final StringBuilder out = new StringBuilder(4096);

    /** Escapes text for element content and double-quoted attributes alike. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Markup written by the console itself (never ledger data). */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Text, escaped. */
    Html text(String s) {
        out.append(escape(s));
        return this;
    }

    /** An element with escaped text content and no attributes. */
    Html el(String tag, String content) {
        return raw("<" + tag + ">").text(content).raw("</" + tag + ">");
    }

    /** An attribute value, escaped, with its leading space and quotes. */
    static String attr(String name, String value) {
        return " " + name + "=\"" + escape(value) + "\"";
    }

    /** A link with escaped text and target. */
    Html link(String href, String label) {
        return raw("<a" + attr("href", href) + ">").text(label).raw("</a>");
    }

    /**
     * A JSON view of the API as a table: an object as field/value rows, nested objects and arrays as nested
     * tables; every name and value escaped.
     */
    Html json(JsonNode node) {
        if (node.isObject()) {
            raw("<table class=\"kv\">");
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                raw("<tr><th>").text(f.getKey()).raw("</th><td>");
                json(f.getValue());
                raw("</td></tr>");
            }
            raw("</table>");
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                raw("<span class=\"muted\">none</span>");
            }
            for (JsonNode item : node) {
                raw("<div class=\"item\">");
                json(item);
                raw("</div>");
            }
        } else if (node.isNull() || node.isMissingNode()) {
            raw("<span class=\"muted\">-</span>");
        } else {
            text(node.asText());
        }
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}

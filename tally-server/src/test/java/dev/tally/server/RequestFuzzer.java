package dev.tally.server;

import dev.tally.server.http.Route;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Generates HTTP requests for a route table from a seed: the route's own method or another, its path with
 * known and unknown ids, query parameters, a body that is valid, nearly valid or garbage, and headers
 * (Content-Type, If-Match, Idempotency-Key). Nothing here knows what a route does beyond the field names
 * the API uses, so a route added to the table is fuzzed without any change here.
 */
final class RequestFuzzer {
    /** One generated request; {@code key} is the bearer secret to send (none: no Authorization header). */
    record Request(String method, String path, Map<String, String> headers, byte[] body, String keyLabel, String key) {
        String describe() {
            String text = body == null ? "(no body)" : new String(body, StandardCharsets.UTF_8);
            return method + " "
                    + (path.length() > 200 ? path.substring(0, 200) + "…(" + path.length() + " chars)" : path) + " key="
                    + keyLabel + " headers=" + headers + " body="
                    + (text.length() > 400 ? text.substring(0, 400) + "…" : text);
        }
    }

    private static final List<String> FIELDS = List.of(
            "transaction_id",
            "type",
            "sender_id",
            "receiver_id",
            "currency",
            "amount",
            "username",
            "email",
            "role",
            "reason",
            "name",
            "original_transaction_id",
            "linked",
            "transfers");
    private static final List<String> QUERY =
            List.of("direction", "limit", "cursor", "mode", "tree_size", "size1", "size2", "frozen", "role");
    private static final List<String> ODD_STRINGS = List.of(
            "",
            " ",
            "\u0000",
            "\u001b[31mred",
            "\u202Eevil",
            "ä",
            "日本語",
            "😀",
            "\uD800",
            "a".repeat(300),
            "x".repeat(70_000),
            "null",
            "-1",
            "1e309",
            "0x10",
            "../../etc/passwd",
            "'; DROP TABLE accounts; --",
            "%00",
            "\\u0000",
            "NaN",
            "Infinity",
            "EUR",
            "eur",
            "XYZ");
    private static final List<String> AMOUNTS = List.of(
            "1.00",
            "0.01",
            "12.50",
            "00001.00",
            "1",
            "1.0",
            "1.001",
            "0",
            "0.00",
            "-1.00",
            "+1.00",
            "1e2",
            "1E+2",
            " 1.00",
            "1,00",
            "99999999999999999999999999.99",
            "9223372036854775807",
            "92233720368547758.07",
            "0.000000001",
            ".5",
            "5.",
            "٣.٠٠",
            "NaN");
    private static final List<String> TYPES =
            List.of("TRANSFER", "PURCHASE", "INCOME", "MINT", "BURN", "REVERSAL", "transfer", "");
    private static final List<String> ROLES =
            List.of("USER", "ADMIN", "SYSTEM", "service", "admin", "auditor", "SERVICE", "root");

    private final Random random;
    private final List<Route> routes;
    private final Map<String, String> keys;
    private final List<String> accounts;
    private final List<String> transactions = new ArrayList<>();
    private final List<String> keyNames = new ArrayList<>();
    private long counter;

    /**
     * @param keys     bearer secrets by label (each role, and a wrong one); a request may also carry none
     * @param accounts ids and usernames of accounts that exist
     */
    RequestFuzzer(long seed, List<Route> routes, Map<String, String> keys, List<String> accounts) {
        this.random = new Random(seed);
        this.routes = List.copyOf(routes);
        this.keys = new LinkedHashMap<>(keys);
        this.accounts = new ArrayList<>(accounts);
        this.keyNames.add("fuzz-key-" + UUID.randomUUID());
    }

    /** Remembers what a successful request created, so later requests can aim at it. */
    void learn(Request request, int status, String answer) {
        if (status / 100 != 2 || !request.method().equals("POST")) {
            return;
        }
        String path = request.path();
        if (path.startsWith("/v1/admin/api-keys")) {
            field(answer, "name").ifPresent(keyNames::add);
        } else if (path.startsWith("/v1/accounts?") || path.equals("/v1/accounts")) {
            field(answer, "id").ifPresent(accounts::add);
        } else {
            field(answer, "transaction_id").ifPresent(transactions::add);
        }
    }

    Request next() {
        Route route = routes.get(random.nextInt(routes.size()));
        String method = random.nextInt(20) == 0
                ? pick(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))
                : route.method();
        String path = path(route.path()) + query();
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = body(route);
        headers(headers);
        String label = keyLabel();
        return new Request(method, path, headers, body, label, keys.get(label));
    }

    private String keyLabel() {
        int r = random.nextInt(10);
        if (r == 0) {
            return "none";
        }
        List<String> labels = new ArrayList<>(keys.keySet());
        return r < 5 ? "admin" : labels.get(random.nextInt(labels.size()));
    }

    private String path(String routePath) {
        // A <name> parameter (tile paths) spans slashes; fuzz it like a {name} one.
        String template = routePath.replace('<', '{').replace('>', '}');
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            int close = template.indexOf('}', open);
            out.append(template, i, open);
            out.append(encode(pathValue(template.substring(open + 1, close))));
            i = close + 1;
        }
        return out.toString();
    }

    private String pathValue(String name) {
        int r = random.nextInt(10);
        if (r < 6) {
            return switch (name) {
                case "name" -> pick(keyNames);
                case "id" -> random.nextBoolean() || transactions.isEmpty() ? pick(accounts) : pick(transactions);
                default -> pick(accounts);
            };
        }
        return r < 8 ? UUID.randomUUID().toString() : pick(ODD_STRINGS);
    }

    private String query() {
        int n = random.nextInt(4);
        if (n == 0) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = random.nextInt(8) == 0 ? pick(ODD_STRINGS) : pick(QUERY);
            String value = switch (name) {
                case "direction" -> pick(List.of("sent", "received", "all", "up", ""));
                case "mode" -> pick(List.of("full", "incremental", "FULL", "partial"));
                case "limit", "tree_size", "size1", "size2" ->
                    pick(List.of("0", "1", "2", "10", "-1", "1000000", "99999999999999999999", "x"));
                case "frozen" -> pick(List.of("true", "false", "yes"));
                case "role" -> pick(ROLES);
                default -> pick(ODD_STRINGS);
            };
            parts.add(encode(name) + "=" + encode(value));
        }
        return "?" + String.join("&", parts);
    }

    private byte[] body(Route route) {
        int r = random.nextInt(20);
        if (r == 0) {
            return null;
        }
        if (r == 1) {
            return pick(List.of(
                            "{",
                            "{\"amount\":",
                            "[1,2",
                            "nul",
                            "{\"a\":1}}",
                            "\"str\"",
                            "42",
                            "[]",
                            "true",
                            "null",
                            "{'a':1}"))
                    .getBytes(StandardCharsets.UTF_8);
        }
        if (r == 2) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            return junk;
        }
        String json = r == 3 ? randomObject(2) : toJson(mutate(template(route.path())));
        if (random.nextInt(15) == 0) {
            return json.getBytes(StandardCharsets.ISO_8859_1);
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A body the route would accept, by the field names its path suggests. */
    private Map<String, String> template(String path) {
        Map<String, String> t = new LinkedHashMap<>();
        String id = "\"fz-" + counter++ + "-" + random.nextInt(1000) + "\"";
        if (path.endsWith("/batch")) {
            List<String> items = new ArrayList<>();
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) {
                items.add(toJson(mutate(transfer("\"fz-" + counter++ + "\""))));
            }
            t.put("linked", random.nextBoolean() ? "true" : "false");
            t.put("transfers", "[" + String.join(",", items) + "]");
        } else if (path.equals("/v1/transfers")) {
            t.putAll(transfer(id));
        } else if (path.equals("/v1/mint")) {
            t.put("transaction_id", id);
            t.put("receiver_id", quoted(pick(accounts)));
            t.put("currency", "\"EUR\"");
            t.put("amount", quoted(pick(AMOUNTS)));
        } else if (path.equals("/v1/burn")) {
            t.put("transaction_id", id);
            t.put("sender_id", quoted(pick(accounts)));
            t.put("currency", "\"EUR\"");
            t.put("amount", quoted(pick(AMOUNTS)));
        } else if (path.equals("/v1/reversals")) {
            t.put("transaction_id", id);
            t.put("original_transaction_id", quoted(transactions.isEmpty() ? "none" : pick(transactions)));
        } else if (path.equals("/v1/accounts")) {
            String name = "fz" + counter++;
            t.put("username", quoted(name));
            t.put("email", quoted(name + "@example.com"));
            if (random.nextBoolean()) {
                t.put("role", quoted(pick(ROLES)));
            }
        } else if (path.startsWith("/v1/accounts/")) {
            t.put(
                    path.endsWith("freeze") ? "reason" : "email",
                    quoted(path.endsWith("freeze") ? "fuzz" : "fz" + counter++ + "@example.com"));
        } else if (path.startsWith("/v1/admin/api-keys")) {
            t.put("name", quoted("fz-key-" + counter++));
            t.put("role", quoted(pick(List.of("service", "auditor", "admin", "SERVICE", "root"))));
        } else if (path.startsWith("/v1/admin/ledger-freeze")) {
            t.put("reason", "\"fuzz\"");
        }
        return t;
    }

    private Map<String, String> transfer(String id) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("transaction_id", id);
        if (random.nextBoolean()) {
            t.put("type", quoted(pick(TYPES)));
        }
        t.put("sender_id", quoted(pick(accounts)));
        t.put("receiver_id", quoted(pick(accounts)));
        t.put("currency", "\"EUR\"");
        t.put("amount", quoted(pick(AMOUNTS)));
        return t;
    }

    /** Leaves it valid half of the time; otherwise drops, adds or retypes a field. */
    private Map<String, String> mutate(Map<String, String> fields) {
        Map<String, String> m = new LinkedHashMap<>(fields);
        int changes = random.nextBoolean() ? 0 : 1 + random.nextInt(3);
        for (int i = 0; i < changes; i++) {
            List<String> names = new ArrayList<>(m.keySet());
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (!names.isEmpty()) {
                        m.remove(pick(names));
                    }
                }
                case 1 -> m.put(random.nextBoolean() ? pick(FIELDS) : pick(ODD_STRINGS), randomValue(1));
                default -> {
                    if (!names.isEmpty()) {
                        m.put(pick(names), randomValue(1));
                    }
                }
            }
        }
        return m;
    }

    private String randomObject(int depth) {
        Map<String, String> m = new LinkedHashMap<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            m.put(random.nextInt(4) == 0 ? pick(ODD_STRINGS) : pick(FIELDS), randomValue(depth));
        }
        return toJson(m);
    }

    private String randomValue(int depth) {
        return switch (random.nextInt(depth > 0 ? 12 : 10)) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> String.valueOf(random.nextLong());
            case 3 -> pick(List.of("1e400", "-0", "1.5", "123456789012345678901234567890", "0.1e-5"));
            case 4, 5 -> quoted(pick(ODD_STRINGS));
            case 6, 7 -> quoted(pick(AMOUNTS));
            case 8 -> quoted(pick(accounts));
            case 9 -> quoted(UUID.randomUUID().toString());
            case 10 -> "[" + randomValue(depth - 1) + "]";
            default -> randomObject(depth - 1);
        };
    }

    private void headers(Map<String, String> headers) {
        if (random.nextInt(6) == 0) {
            headers.put(
                    "Content-Type",
                    pick(List.of(
                            "text/plain",
                            "application/json; charset=ISO-8859-1",
                            "application/xml",
                            "application/json; charset=utf-8",
                            "multipart/form-data; boundary=x",
                            "application/problem+json",
                            "garbage")));
        } else {
            headers.put("Content-Type", "application/json");
        }
        if (random.nextInt(3) == 0) {
            headers.put(
                    "If-Match",
                    pick(List.of(
                            "\"1\"",
                            "\"2\"",
                            "\"3\"",
                            "*",
                            "W/\"2\"",
                            "2",
                            "\"\"",
                            "\"-1\"",
                            "\"99999999999999999999\"",
                            "\"1\", \"2\"",
                            "garbage")));
        }
        if (random.nextInt(4) == 0) {
            headers.put(
                    "Idempotency-Key",
                    pick(List.of(
                            "fz-" + counter,
                            "fz-" + (counter - 1),
                            "fz-other-" + random.nextInt(5),
                            "",
                            "k".repeat(500),
                            transactions.isEmpty() ? "none" : pick(transactions))));
        }
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String toJson(Map<String, String> fields) {
        StringBuilder b = new StringBuilder("{");
        fields.forEach((k, v) -> b.append(b.length() > 1 ? "," : "")
                .append(quoted(k))
                .append(':')
                .append(v));
        return b.append('}').toString();
    }

    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static java.util.Optional<String> field(String json, String name) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(json)
                    .path(name);
            return n.isTextual() ? java.util.Optional.of(n.asText()) : java.util.Optional.empty();
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }
}

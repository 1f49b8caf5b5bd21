package dev.tally.core.ledger;

import dev.tally.core.text.SafeText;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a client attaches to a money command (an order id, an item SKU, a match id): string keys and
 * values, part of the hashed entry in one canonical text form (docs/FORMAT.md §1, version 2).
 *
 * <p>Keys are 1-64 characters of {@code A-Z a-z 0-9 _ . -}, so that their order is the same by UTF-16 code
 * units, by UTF-8 bytes and by code points, and so that a key can name a query parameter
 * ({@code metadata.KEY}); values are text without control or formatting characters. At most
 * {@value #MAX_KEYS} keys and {@value #MAX_BYTES} bytes of canonical form, so that an entry stays small.
 */
public record Metadata(SortedMap<String, String> values) {
    public static final int MAX_KEYS = 16;
    public static final int MAX_KEY_LENGTH = 64;
    public static final int MAX_BYTES = 2048;
    public static final Metadata EMPTY = new Metadata(new TreeMap<>());

    /** Metadata that breaks a limit or holds a forbidden character; the command is refused, nothing written. */
    public static final class InvalidMetadataException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidMetadataException(String message) {
            super(message);
        }
    }

    public Metadata {
        Objects.requireNonNull(values, "values");
        if (values.size() > MAX_KEYS) {
            throw new InvalidMetadataException("metadata has " + values.size() + " keys; at most " + MAX_KEYS);
        }
        values.forEach(Metadata::requireValid);
        values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
        int bytes = canonicalBytes(values);
        if (bytes > MAX_BYTES) {
            throw new InvalidMetadataException(
                    "metadata is " + bytes + " bytes in canonical form; at most " + MAX_BYTES);
        }
    }

    /** Metadata of any map (its order is ignored); refuses what breaks a limit. */
    public static Metadata of(Map<String, String> values) {
        return values.isEmpty() ? EMPTY : new Metadata(new TreeMap<>(values));
    }

    /** Keys starting with this are the ledger's own (a pending transfer's expiry); clients may not set them. */
    public static final String RESERVED_PREFIX = "tally.";

    /** The key of a pending transfer's expiry, an ISO-8601 instant. */
    public static final String EXPIRES_AT = RESERVED_PREFIX + "expires_at";

    /**
     * The key that marks a pending transfer as a payment the fraud shield holds pending review; its value is
     * the rule that held it. Only the ledger itself (review, expiry) may post or void such a transfer.
     */
    public static final String FRAUD_HOLD = RESERVED_PREFIX + "fraud_hold";

    /** The key of an exchange leg's exchange: the client's transaction id of the whole exchange. */
    public static final String EXCHANGE = RESERVED_PREFIX + "exchange";

    /** The key of an exchange leg's rate: units of the target currency per unit of the source, plain decimal. */
    public static final String RATE = RESERVED_PREFIX + "rate";

    /** Whether a key is reserved for the ledger. */
    public boolean hasReservedKey() {
        return values.keySet().stream().anyMatch(k -> k.startsWith(RESERVED_PREFIX));
    }

    /** The pairs a client set: every key but the reserved ones. */
    public Metadata clientPart() {
        if (!hasReservedKey()) {
            return this;
        }
        TreeMap<String, String> kept = new TreeMap<>(values);
        kept.keySet().removeIf(k -> k.startsWith(RESERVED_PREFIX));
        return of(kept);
    }

    /** The same metadata with one more pair; refused when that breaks a limit. */
    public Metadata with(String key, String value) {
        TreeMap<String, String> more = new TreeMap<>(values);
        more.put(key, value);
        return of(more);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * The canonical form the hash covers: a JSON object, keys in ascending order, no white space, values
     * escaping only {@code "} and {@code \} (a value holds no control characters); empty when there is no
     * metadata (an entry without metadata has the version 1 encoding).
     */
    public Optional<String> canonical() {
        return values.isEmpty() ? Optional.empty() : Optional.of(canonicalText(values));
    }

    /**
     * Parses a canonical form back. Anything that is not exactly the canonical form of valid metadata is
     * refused, so that one entry has one stored spelling.
     */
    public static Metadata parseCanonical(String text) {
        TreeMap<String, String> out = new TreeMap<>();
        int[] pos = {0};
        expect(text, pos, '{');
        if (peek(text, pos) != '}') {
            do {
                String key = readString(text, pos);
                expect(text, pos, ':');
                out.put(key, readString(text, pos));
            } while (tryConsume(text, pos, ','));
        }
        expect(text, pos, '}');
        if (pos[0] != text.length() || out.isEmpty()) {
            throw new InvalidMetadataException("metadata is not in canonical form");
        }
        Metadata parsed = new Metadata(out);
        if (!canonicalText(parsed.values).equals(text)) {
            throw new InvalidMetadataException("metadata is not in canonical form");
        }
        return parsed;
    }

    /** The canonical pattern of one pair, as it appears between {@code ,} or the braces of the canonical form. */
    public static String canonicalPair(String key, String value) {
        requireValid(key, value);
        StringBuilder b = new StringBuilder();
        appendString(b, key);
        b.append(':');
        appendString(b, value);
        return b.toString();
    }

    private static void requireValid(String key, String value) {
        Objects.requireNonNull(key, "metadata key");
        Objects.requireNonNull(value, "metadata value");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new InvalidMetadataException("metadata keys must be 1-" + MAX_KEY_LENGTH + " characters: " + key);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == '-';
            if (!ok) {
                throw new InvalidMetadataException("metadata keys may hold only A-Z a-z 0-9 _ . - (" + key + ")");
            }
        }
        try {
            SafeText.requireSafe("metadata." + key, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidMetadataException(String.valueOf(e.getMessage()));
        }
    }

    private static int canonicalBytes(Map<String, String> values) {
        return values.isEmpty() ? 0 : canonicalText(values).getBytes(StandardCharsets.UTF_8).length;
    }

    private static String canonicalText(Map<String, String> values) {
        StringBuilder b = new StringBuilder(64);
        b.append('{');
        values.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            appendString(b, k);
            b.append(':');
            appendString(b, v);
        });
        return b.append('}').toString();
    }

    private static void appendString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }

    private static String readString(String text, int[] pos) {
        expect(text, pos, '"');
        StringBuilder b = new StringBuilder();
        while (pos[0] < text.length()) {
            char c = text.charAt(pos[0]++);
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                if (pos[0] >= text.length()) {
                    break;
                }
                c = text.charAt(pos[0]++);
                if (c != '"' && c != '\\') {
                    break;
                }
            }
            b.append(c);
        }
        throw new InvalidMetadataException("metadata is not in canonical form");
    }

    private static char peek(String text, int[] pos) {
        return pos[0] < text.length() ? text.charAt(pos[0]) : '\0';
    }

    private static boolean tryConsume(String text, int[] pos, char c) {
        if (peek(text, pos) == c) {
            pos[0]++;
            return true;
        }
        return false;
    }

    private static void expect(String text, int[] pos, char c) {
        if (!tryConsume(text, pos, c)) {
            throw new InvalidMetadataException("metadata is not in canonical form");
        }
    }
}

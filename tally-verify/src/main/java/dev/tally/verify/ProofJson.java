package dev.tally.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict JSON for {@link ProofDocument}s, dependency-free, in the field names of transparency-dev/merkle
 * test data:
 * <pre>
 * {"leafIdx":N,"treeSize":N,"root":"b64","leafHash":"b64","proof":["b64",...],"checkpoint":"note"}
 * {"size1":N,"size2":N,"root1":"b64","root2":"b64","proof":["b64",...],"checkpoint":"note"}
 * </pre>
 * {@code checkpoint} is optional. Numbers must be non-negative integers in canonical form that fit a long;
 * hashes canonical padded base64 of 32 bytes; {@code "proof": null} is read as an empty proof (Go encodes
 * an empty slice that way). Unknown or duplicate fields, and anything around the object, are rejected.
 */
public final class ProofJson {
    /** Documents longer than this many characters are rejected unread. */
    public static final int MAX_LENGTH = 1 << 20;

    private static final Set<String> INCLUSION =
            Set.of("leafIdx", "treeSize", "root", "leafHash", "proof", "checkpoint");
    private static final Set<String> CONSISTENCY = Set.of("size1", "size2", "root1", "root2", "proof", "checkpoint");
    private static final Pattern COUNT = Pattern.compile("0|[1-9][0-9]*");

    private ProofJson() {}

    /**
     * Parses an inclusion document (has {@code leafIdx}) or a consistency document (has {@code size1}).
     * Does not verify the proof.
     *
     * @throws ProofException (MALFORMED) for anything but exactly one well-formed document
     */
    public static ProofDocument parse(String json) {
        if (json == null || json.length() > MAX_LENGTH) {
            throw ProofException.malformed("proof document is missing or longer than %d characters", MAX_LENGTH);
        }
        if (!(Json.parse(json) instanceof Map<?, ?> object)) {
            throw ProofException.malformed("proof document must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) object;
        if (fields.containsKey("leafIdx")) {
            onlyKnown(fields, INCLUSION, "inclusion");
            return new InclusionProof(
                    count(fields, "leafIdx"),
                    count(fields, "treeSize"),
                    hash(fields, "root"),
                    hash(fields, "leafHash"),
                    hashes(fields),
                    checkpoint(fields));
        }
        if (fields.containsKey("size1")) {
            onlyKnown(fields, CONSISTENCY, "consistency");
            return new ConsistencyProof(
                    count(fields, "size1"),
                    count(fields, "size2"),
                    hash(fields, "root1"),
                    hash(fields, "root2"),
                    hashes(fields),
                    checkpoint(fields));
        }
        throw ProofException.malformed(
                "not a proof document: expected \"leafIdx\" (inclusion) or \"size1\" (consistency)");
    }

    static String toJson(InclusionProof p) {
        StringBuilder sb = new StringBuilder("{\"leafIdx\":")
                .append(p.leafIdx())
                .append(",\"treeSize\":")
                .append(p.treeSize())
                .append(",\"root\":")
                .append(Json.quote(Hashes.toBase64(p.root())))
                .append(",\"leafHash\":")
                .append(Json.quote(Hashes.toBase64(p.leafHash())));
        return finish(sb, p.proof(), p.checkpoint());
    }

    static String toJson(ConsistencyProof p) {
        StringBuilder sb = new StringBuilder("{\"size1\":")
                .append(p.size1())
                .append(",\"size2\":")
                .append(p.size2())
                .append(",\"root1\":")
                .append(Json.quote(Hashes.toBase64(p.root1())))
                .append(",\"root2\":")
                .append(Json.quote(Hashes.toBase64(p.root2())));
        return finish(sb, p.proof(), p.checkpoint());
    }

    private static String finish(StringBuilder sb, List<byte[]> proof, Optional<String> checkpoint) {
        sb.append(",\"proof\":[");
        for (int i = 0; i < proof.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(Json.quote(Hashes.toBase64(proof.get(i))));
        }
        sb.append(']');
        checkpoint.ifPresent(c -> sb.append(",\"checkpoint\":").append(Json.quote(c)));
        return sb.append('}').toString();
    }

    private static void onlyKnown(Map<String, Object> fields, Set<String> known, String kind) {
        for (String key : fields.keySet()) {
            if (!known.contains(key)) {
                throw ProofException.malformed("unknown field %s in %s proof", Json.quote(key), kind);
            }
        }
    }

    private static Object required(Map<String, Object> fields, String key) {
        Object value = fields.get(key);
        if (value == null) {
            throw ProofException.malformed("missing field \"%s\"", key);
        }
        return value;
    }

    private static long count(Map<String, Object> fields, String key) {
        if (required(fields, key) instanceof Json.Number n
                && COUNT.matcher(n.literal()).matches()) {
            try {
                return Long.parseLong(n.literal());
            } catch (NumberFormatException e) {
                throw ProofException.malformed("\"%s\" is too large: %s", key, n.literal());
            }
        }
        throw ProofException.malformed("\"%s\" must be a non-negative integer without sign, fraction or exponent", key);
    }

    private static byte[] hash(Map<String, Object> fields, String key) {
        return decodeHash(required(fields, key), key);
    }

    private static List<byte[]> hashes(Map<String, Object> fields) {
        Object value = required(fields, "proof");
        if (value == Json.Null.INSTANCE) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw ProofException.malformed("\"proof\" must be an array of base64 hashes");
        }
        List<byte[]> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(decodeHash(list.get(i), "proof[" + i + "]"));
        }
        return out;
    }

    private static byte[] decodeHash(Object value, String what) {
        if (!(value instanceof String text)) {
            throw ProofException.malformed("\"%s\" must be a base64 string", what);
        }
        try {
            return Hashes.hashFromBase64(text);
        } catch (ProofException e) {
            throw new ProofException(ProofException.Reason.MALFORMED, what + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> checkpoint(Map<String, Object> fields) {
        if (!fields.containsKey("checkpoint")) {
            return Optional.empty();
        }
        if (!(fields.get("checkpoint") instanceof String note)) {
            throw ProofException.malformed("\"checkpoint\" must be a string holding a signed note");
        }
        return Optional.of(note);
    }
}

package dev.tally.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A C2SP tlog-policy: the logs accepted, the witnesses known, and the quorum of witnesses whose
 * cosignatures make a checkpoint valid ({@code log}, {@code witness}, {@code group}, {@code quorum} lines;
 * {@code #} comments and blank lines ignored; a group or the quorum names only what earlier lines defined).
 * Witness keys are Ed25519 cosigner vkeys ({@link CosignatureVerifier}), log keys Ed25519 note vkeys.
 */
public final class Policy {
    /** The predefined quorum that needs no cosignature. */
    public static final String NONE = "none";

    private final List<NoteVerifier> logs;
    private final Map<String, CosignatureVerifier> witnesses;
    private final Map<String, Group> groups;
    private final String quorum;

    private record Group(int threshold, List<String> members) {}

    private Policy(
            List<NoteVerifier> logs,
            Map<String, CosignatureVerifier> witnesses,
            Map<String, Group> groups,
            String quorum) {
        this.logs = List.copyOf(logs);
        this.witnesses = witnesses;
        this.groups = groups;
        this.quorum = quorum;
    }

    /**
     * Parses a policy file.
     *
     * @throws ProofException MALFORMED for anything the spec does not allow
     */
    public static Policy parse(String text) {
        List<NoteVerifier> logs = new ArrayList<>();
        Map<String, CosignatureVerifier> witnesses = new LinkedHashMap<>();
        Map<String, Group> groups = new LinkedHashMap<>();
        Set<String> keys = new HashSet<>();
        String quorum = null;
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw ProofException.malformed("policy line %d has a control character", lineNo);
                }
            }
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("[ \t]+");
            switch (f[0]) {
                case "log" -> {
                    need(f.length == 2 || f.length == 3, lineNo, "log <vkey> [<url>]");
                    NoteVerifier v = NoteVerifier.fromVerifierKey(f[1]);
                    need(keys.add(Hashes.toHex(v.publicKey())), lineNo, "a key listed once");
                    logs.add(v);
                }
                case "witness" -> {
                    need(f.length == 3 || f.length == 4, lineNo, "witness <name> <vkey> [<url>]");
                    need(isNew(f[1], witnesses, groups), lineNo, "a new name other than none");
                    CosignatureVerifier v = CosignatureVerifier.fromVerifierKey(f[2]);
                    need(keys.add(Hashes.toHex(v.publicKey())), lineNo, "a key listed once");
                    witnesses.put(f[1], v);
                }
                case "group" -> {
                    need(f.length >= 4, lineNo, "group <name> all|any|<k> <name>...");
                    need(isNew(f[1], witnesses, groups), lineNo, "a new name other than none");
                    List<String> members = List.of(f).subList(3, f.length);
                    need(new HashSet<>(members).size() == members.size(), lineNo, "each member once");
                    for (String m : members) {
                        need(witnesses.containsKey(m) || groups.containsKey(m), lineNo, "members defined above");
                    }
                    int k = switch (f[2]) {
                        case "all" -> members.size();
                        case "any" -> 1;
                        default -> threshold(f[2], lineNo);
                    };
                    need(k >= 1 && k <= members.size(), lineNo, "1 <= k <= the number of members");
                    groups.put(f[1], new Group(k, members));
                }
                case "quorum" -> {
                    need(f.length == 2 && quorum == null, lineNo, "exactly one quorum <name>");
                    need(
                            f[1].equals(NONE) || witnesses.containsKey(f[1]) || groups.containsKey(f[1]),
                            lineNo,
                            "a quorum defined above");
                    quorum = f[1];
                }
                default -> throw ProofException.malformed("policy line %d: unknown keyword %s", lineNo, f[0]);
            }
        }
        if (quorum == null) {
            throw ProofException.malformed("the policy has no quorum line");
        }
        return new Policy(logs, witnesses, groups, quorum);
    }

    private static boolean isNew(String name, Map<String, ?> witnesses, Map<String, ?> groups) {
        return !name.equals(NONE) && !witnesses.containsKey(name) && !groups.containsKey(name);
    }

    private static int threshold(String text, int lineNo) {
        need(text.matches("[1-9][0-9]{0,8}"), lineNo, "a decimal threshold");
        return Integer.parseInt(text);
    }

    private static void need(boolean ok, int lineNo, String what) {
        if (!ok) {
            throw ProofException.malformed("policy line %d: expected %s", lineNo, what);
        }
    }

    /** The logs the policy accepts (may be empty: the log is then known from elsewhere). */
    public List<NoteVerifier> logs() {
        return logs;
    }

    /** The witnesses by their policy name. */
    public Map<String, CosignatureVerifier> witnesses() {
        return Map.copyOf(witnesses);
    }

    /**
     * The policy names of the witnesses whose valid cosignature {@code note} carries. A signature line that
     * names a known witness's key but does not verify makes the note malformed (signed-note).
     *
     * @throws ProofException BAD_SIGNATURE when a known witness's line does not verify
     */
    public Set<String> cosigners(SignedNote note) {
        Set<String> signed = new HashSet<>();
        for (SignedNote.Signature s : note.signatures()) {
            for (Map.Entry<String, CosignatureVerifier> w : witnesses.entrySet()) {
                if (w.getValue().names(s)) {
                    if (w.getValue().verify(note.text(), s).isEmpty()) {
                        throw ProofException.badSignature("the cosignature of witness %s does not verify", w.getKey());
                    }
                    signed.add(w.getKey());
                }
            }
        }
        return signed;
    }

    /** Whether the witnesses named cosigned enough for the quorum. */
    public boolean quorumMet(Set<String> cosigners) {
        return quorum.equals(NONE) || witnessed(quorum, cosigners, new HashMap<>());
    }

    private boolean witnessed(String name, Set<String> cosigners, Map<String, Boolean> memo) {
        if (witnesses.containsKey(name)) {
            return cosigners.contains(name);
        }
        Boolean known = memo.get(name);
        if (known != null) {
            return known;
        }
        Group g = groups.get(name);
        if (g == null) {
            return false;
        }
        long yes =
                g.members().stream().filter(m -> witnessed(m, cosigners, memo)).count();
        boolean result = yes >= g.threshold();
        memo.put(name, result);
        return result;
    }

    /** The quorum line's name. */
    public String quorum() {
        return quorum;
    }
}

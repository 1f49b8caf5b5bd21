package dev.tally.core.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How many signed checkpoints a verification checked, for its report: a check that found nothing to
 * check must not read like one that checked everything.
 *
 * @param checked how many checkpoints' signatures verified with the key and were checked against the ledger
 * @param rejected how many did not verify (each is a {@code BAD_SIGNATURE} finding)
 * @param newestSignedSize the largest tree size among the checked ones (0 when none)
 * @param source where they came from (a witness file's name, "the database", an export)
 */
public record CheckpointSummary(int checked, int rejected, long newestSignedSize, String source) {
    /** No checkpoint check ran. */
    public static final CheckpointSummary NONE = new CheckpointSummary(0, 0, 0, "");

    public CheckpointSummary {
        Objects.requireNonNull(source, "source");
    }

    /** What {@code verifier} checked (its signatures are verified when it is built). */
    public static CheckpointSummary of(CheckpointVerifier verifier, String source) {
        return new CheckpointSummary(
                verifier.verified().size(), verifier.signatureFindings().size(), verifier.neededSize(), source);
    }

    /** The summary as report fields. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checked", checked);
        if (!this.equals(NONE)) {
            m.put("rejected", rejected);
            m.put("newest_signed_size", newestSignedSize);
            m.put("source", source);
        }
        return m;
    }

    /** One line for people. */
    public String describe() {
        if (equals(NONE)) {
            return "no signed checkpoints checked (give --public-key, and --checkpoints with the published witness file)";
        }
        return checked + " checkpoint" + (checked == 1 ? "" : "s") + " checked (" + source
                + "), the newest signed at size " + newestSignedSize
                + (rejected > 0 ? "; " + rejected + " did not verify" : "");
    }
}

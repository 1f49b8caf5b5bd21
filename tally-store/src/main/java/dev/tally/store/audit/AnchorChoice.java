package dev.tally.store.audit;

import dev.tally.core.audit.AnchorKey;
import dev.tally.core.audit.VerificationRun;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Where an incremental verification may start: the newest recorded run whose MAC verifies under the anchor
 * key. A run anyone could have written into the database (no key, no MAC, or a MAC that does not verify)
 * is never trusted; then the run is a full one, and {@link #note} says why.
 *
 * @param run the authenticated run to continue from, if there is one
 * @param note why the run starts where it does, for the report
 */
record AnchorChoice(Optional<VerificationRun> run, String note) {
    /** How many recorded candidates are tried before giving up and verifying in full. */
    static final int CANDIDATES = 100;

    /**
     * Chooses among the newest recorded candidates ({@code candidates.apply(n)}: at most n successful runs
     * with a MAC, newest first).
     */
    static AnchorChoice choose(Optional<AnchorKey> key, IntFunction<List<VerificationRun>> candidates) {
        if (key.isEmpty()) {
            return new AnchorChoice(
                    Optional.empty(),
                    "No anchor key given (--anchor-key): a recorded run cannot be told from a forged one,"
                            + " so the incremental run was a full verification.");
        }
        AnchorKey k = key.get();
        int ignored = 0;
        for (VerificationRun run : candidates.apply(CANDIDATES)) {
            if (k.authenticates(run)) {
                return new AnchorChoice(
                        Optional.of(run),
                        "Continues run " + run.id() + ", which verified the chain up to #" + run.toSeq()
                                + " (authenticated by anchor key " + k.keyId() + ")." + ignoredNote(ignored, k));
            }
            ignored++;
        }
        return new AnchorChoice(
                Optional.empty(),
                "No earlier successful run is authenticated by anchor key " + k.keyId() + ": ran a full verification."
                        + ignoredNote(ignored, k));
    }

    private static String ignoredNote(int ignored, AnchorKey k) {
        return ignored == 0
                ? ""
                : " " + ignored + " newer recorded run" + (ignored == 1 ? " was" : "s were")
                        + " not authenticated by anchor key " + k.keyId()
                        + " (forged, or recorded under another key) and ignored.";
    }
}

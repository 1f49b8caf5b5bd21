package dev.tally.core.audit;

import dev.tally.verify.NoteVerifier;
import java.util.List;
import java.util.Objects;

/**
 * A request to check a ledger against signed checkpoints (C2SP tlog-checkpoint in a C2SP signed-note):
 * typically the witness file an operator published, which someone with write access to the database
 * cannot change. See {@link CheckpointVerifier} for the checks.
 *
 * @param key the log's public key; every note must carry a valid signature by it
 * @param notes the signed checkpoint notes, in the order of their source (oldest first, as appended)
 * @param source where the notes come from, for messages (a file name, "export", "database")
 */
public record CheckpointCheck(NoteVerifier key, List<String> notes, String source) {
    public CheckpointCheck {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        notes = List.copyOf(notes);
    }

    /**
     * The one line that says no checkpoint of this check verifies with its key. Such a check proves nothing
     * (an empty or foreign witness file would pass even a truncated ledger), so it is a failure to verify.
     */
    public String noneVerifies() {
        return "no checkpoint in " + source + " verifies with key " + key.name() + "+"
                + String.format("%08x", key.keyId()) + " ("
                + notes.size() + " signed note" + (notes.size() == 1 ? "" : "s")
                + " read): without one, rewritten or truncated history"
                + " cannot be detected";
    }
}

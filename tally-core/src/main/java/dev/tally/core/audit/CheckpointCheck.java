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
}

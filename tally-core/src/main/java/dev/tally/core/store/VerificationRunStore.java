package dev.tally.core.store;

import dev.tally.core.audit.VerificationRun;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The record of every verification and reconciliation run, for history, alerting and incremental runs. Thread-safe. */
public interface VerificationRunStore {
    /** Records a finished run, with its report when it has one. */
    void record(VerificationRun run);

    /** The newest valid chain verification that ended on an entry: where an incremental run may start. */
    Optional<VerificationRun> lastSuccessfulVerification();

    /**
     * The newest valid chain verifications that ended on an entry and carry an anchor MAC, newest first, at
     * most {@code limit}: the runs an incremental run may start from, once their MAC verifies under the anchor
     * key (which the store never sees).
     */
    List<VerificationRun> recentAnchors(int limit);

    /** The newest runs first, at most {@code limit}, without their reports. */
    List<VerificationRun> history(int limit);

    /** One run with its report. */
    Optional<VerificationRun> find(UUID id);
}

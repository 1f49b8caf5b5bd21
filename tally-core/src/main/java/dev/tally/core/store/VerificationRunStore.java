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

    /** The newest runs first, at most {@code limit}, without their reports. */
    List<VerificationRun> history(int limit);

    /** One run with its report. */
    Optional<VerificationRun> find(UUID id);
}

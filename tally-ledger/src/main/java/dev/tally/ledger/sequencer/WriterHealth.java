package dev.tally.ledger.sequencer;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the ledger's single writer still writes. Once halted it stays halted: only a restart of the
 * process, after an operator has looked at the reason, resumes writing.
 *
 * @param halted whether the writer has stopped
 * @param reason why it stopped (empty while it runs)
 * @param since when it stopped
 */
public record WriterHealth(boolean halted, String reason, Optional<Instant> since) {
    private static final WriterHealth RUNNING = new WriterHealth(false, "", Optional.empty());

    public WriterHealth {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
    }

    /** A writer that writes. */
    public static WriterHealth running() {
        return RUNNING;
    }

    /** A writer that stopped at {@code since} for {@code reason}. */
    public static WriterHealth halted(String reason, Instant since) {
        return new WriterHealth(true, reason, Optional.of(since));
    }
}

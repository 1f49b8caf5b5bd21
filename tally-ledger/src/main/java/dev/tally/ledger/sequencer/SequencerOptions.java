package dev.tally.ledger.sequencer;

import java.time.Duration;

/**
 * Tuning of the single writer: how many commands one database transaction may hold, how many may wait,
 * and how version conflicts are retried (bounded exponential backoff with full jitter).
 */
public record SequencerOptions(
        int maxBatch, int queueCapacity, int maxRetries, Duration baseBackoff, Duration maxBackoff) {
    public static final SequencerOptions DEFAULTS =
            new SequencerOptions(4096, 65_536, 8, Duration.ofMillis(2), Duration.ofMillis(200));

    public SequencerOptions {
        if (maxBatch < 1 || queueCapacity < 1 || maxRetries < 0) {
            throw new IllegalArgumentException("maxBatch and queueCapacity must be positive, maxRetries non-negative");
        }
    }

    public SequencerOptions withMaxBatch(int n) {
        return new SequencerOptions(n, queueCapacity, maxRetries, baseBackoff, maxBackoff);
    }

    public SequencerOptions withMaxRetries(int n) {
        return new SequencerOptions(maxBatch, queueCapacity, n, baseBackoff, maxBackoff);
    }
}

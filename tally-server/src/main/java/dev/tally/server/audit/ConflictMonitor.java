package dev.tally.server.audit;

import java.util.OptionalDouble;

/**
 * The OCC conflict rate over consecutive windows: conflicts per commit attempt (committed batches plus
 * conflicted ones), from the sequencer's cumulative counters. It reports a rate only when a window saw
 * enough attempts to mean something, and says to alert only when the rate crosses the threshold upwards,
 * so that a sustained high rate gives one alert, not one per window. Not thread-safe (one scheduler thread).
 */
public final class ConflictMonitor {
    private final double threshold;
    private final long minAttempts;
    private long lastBatches;
    private long lastConflicts;
    private boolean above;

    public ConflictMonitor(double threshold, long minAttempts, long batches, long conflicts) {
        this.threshold = threshold;
        this.minAttempts = minAttempts;
        this.lastBatches = batches;
        this.lastConflicts = conflicts;
    }

    /** The outcome of one window. */
    public record Sample(OptionalDouble rate, long attempts, long conflicts, boolean alert) {}

    /** Takes the counters at the end of a window. */
    public Sample sample(long batches, long conflicts) {
        long dConflicts = conflicts - lastConflicts;
        long attempts = (batches - lastBatches) + dConflicts;
        lastBatches = batches;
        lastConflicts = conflicts;
        if (attempts < minAttempts) {
            return new Sample(OptionalDouble.empty(), attempts, dConflicts, false);
        }
        double rate = (double) dConflicts / attempts;
        boolean nowAbove = rate > threshold;
        boolean alert = nowAbove && !above;
        above = nowAbove;
        return new Sample(OptionalDouble.of(rate), attempts, dConflicts, alert);
    }
}

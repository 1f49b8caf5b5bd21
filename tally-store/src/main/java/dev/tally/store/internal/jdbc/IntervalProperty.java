package dev.tally.store.internal.jdbc;

/**
 * A background thread's interval in milliseconds: its default, or the system property that overrides it for
 * measuring (1 to 60,000 ms; anything else fails the store's opening).
 */
final class IntervalProperty {
    private static final long MAX_MS = 60_000;

    private IntervalProperty() {}

    static long millis(String property, long defaultMs) {
        long ms = Long.getLong(property, defaultMs);
        if (ms < 1 || ms > MAX_MS) {
            throw new IllegalArgumentException(property + " must be 1-60000 ms, not " + ms);
        }
        return ms;
    }
}

package dev.tally.core.fraud;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/** A value with the time it happened, kept in time order in a window. */
record Stamped<T>(Instant at, T value) {
    /** Drops the head of {@code window} older than {@code cutoff}; returns how many are left. */
    static <T> int dropBefore(ArrayDeque<Stamped<T>> window, Instant cutoff) {
        while (!window.isEmpty() && window.peekFirst().at().isBefore(cutoff)) {
            window.pollFirst();
        }
        return window.size();
    }

    /** Drops every key whose window holds nothing at or after {@code cutoff}. */
    static <K, T> void sweep(Map<K, ArrayDeque<Stamped<T>>> windows, Instant cutoff) {
        Iterator<ArrayDeque<Stamped<T>>> it = windows.values().iterator();
        while (it.hasNext()) {
            if (dropBefore(it.next(), cutoff) == 0) {
                it.remove();
            }
        }
    }
}

package dev.tally.core.fraud;

import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * One key's payments in a window, oldest first: the time of each (nanoseconds since the epoch) and one
 * number (an amount, or nothing), with their running total. Two flat arrays in a ring, where a deque of
 * objects cost the writer a few pointer loads and an allocation per payment; comparing times as longs
 * decides exactly as comparing their {@link Instant}s.
 */
final class TimeWindow {
    private long[] at = new long[4];
    private long[] value = new long[4];
    private int head;
    private int size;
    private long total;

    /** The instant as nanoseconds since the epoch, clamped to the range of a long (centuries either way). */
    static long nanos(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return seconds * 1_000_000_000L + t.getNano();
    }

    void add(long time, long v) {
        if (size == at.length) {
            grow();
        }
        int i = (head + size) & (at.length - 1);
        at[i] = time;
        value[i] = v;
        size++;
        total += v;
    }

    private void grow() {
        int n = at.length * 2;
        long[] a = new long[n];
        long[] v = new long[n];
        for (int k = 0; k < size; k++) {
            int i = (head + k) & (at.length - 1);
            a[k] = at[i];
            v[k] = value[i];
        }
        at = a;
        value = v;
        head = 0;
    }

    /** Drops the payments older than {@code cutoff}; returns how many are left. */
    int dropBefore(long cutoff) {
        while (size > 0 && at[head] < cutoff) {
            dropOldest();
        }
        return size;
    }

    void dropOldest() {
        total -= value[head];
        head = (head + 1) & (at.length - 1);
        size--;
    }

    int size() {
        return size;
    }

    /** The time of the newest payment held; only when one is. */
    long newest() {
        if (size == 0) {
            throw new IllegalStateException("an empty window has no newest payment");
        }
        return at[(head + size - 1) & (at.length - 1)];
    }

    /** The sum of the values held (wrapping as a long sum does). */
    long total() {
        return total;
    }

    /** The values held, in a new array, oldest first. */
    long[] values() {
        long[] out = new long[size];
        for (int k = 0; k < size; k++) {
            out[k] = value[(head + k) & (at.length - 1)];
        }
        return out;
    }

    @Override
    public String toString() {
        return "TimeWindow" + Arrays.toString(values());
    }

    /** Drops every key whose window holds nothing at or after {@code cutoff}. */
    static <K> void sweep(Map<K, TimeWindow> windows, long cutoff) {
        Iterator<TimeWindow> it = windows.values().iterator();
        while (it.hasNext()) {
            if (it.next().dropBefore(cutoff) == 0) {
                it.remove();
            }
        }
    }
}

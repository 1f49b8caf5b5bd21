package dev.tally.server.audit;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The newest alert deliveries of this process, for the console: which alert, to which channel, and whether it
 * was delivered. Kept in memory (the log has them all); a restart starts an empty list. Thread-safe.
 */
public final class SentAlerts {
    /** One delivery attempt's final result. */
    public record Delivery(Instant at, String kind, String severity, String title, String channel, boolean delivered) {}

    private final int capacity;
    private final Deque<Delivery> newestFirst = new ArrayDeque<>();

    public SentAlerts(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(Delivery d) {
        newestFirst.addFirst(d);
        while (newestFirst.size() > capacity) {
            newestFirst.removeLast();
        }
    }

    /** At most {@code limit} deliveries, newest first. */
    public synchronized List<Delivery> recent(int limit) {
        List<Delivery> out = new ArrayList<>(Math.min(limit, newestFirst.size()));
        for (Delivery d : newestFirst) {
            if (out.size() == limit) {
                break;
            }
            out.add(d);
        }
        return out;
    }
}

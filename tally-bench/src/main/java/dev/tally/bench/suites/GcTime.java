package dev.tally.bench.suites;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** The JVM's garbage collections so far: how many, and their total time in milliseconds. */
record GcTime(long collections, long millis) {
    static GcTime now() {
        long n = 0;
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        return new GcTime(n, ms);
    }

    /** What happened between {@code earlier} and this. */
    GcTime since(GcTime earlier) {
        return new GcTime(collections - earlier.collections, millis - earlier.millis);
    }
}

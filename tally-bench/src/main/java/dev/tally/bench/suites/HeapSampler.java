package dev.tally.bench.suites;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the heap every 5 ms on a daemon thread while a phase runs. Two peaks, because "used" includes
 * garbage that the collector has not reclaimed yet (it grows with the heap the JVM was given), while the
 * heap that survives a collection is what the work keeps alive: the figure a heap limit must cover.
 */
final class HeapSampler {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null)
            .toList();
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private final long first;
    private final Thread thread;
    private volatile boolean running = true;

    /** What a phase used: the heap when it began, its peak, and the peak that survived a collection. */
    record Sample(long firstBytes, long peakUsedBytes, long peakLiveBytes, long maxHeapBytes) {}

    private HeapSampler() {
        first = used();
        peakUsed.set(first);
        thread = Thread.ofPlatform().daemon().name("tally-bench-heap").start(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    static HeapSampler start() {
        return new HeapSampler();
    }

    Sample stop() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        return new Sample(
                first,
                peakUsed.get(),
                peakLive.get(),
                MEMORY.getHeapMemoryUsage().getMax());
    }

    private void sample() {
        peakUsed.accumulateAndGet(used(), Math::max);
        peakLive.accumulateAndGet(liveAfterLastCollection(), Math::max);
    }

    private static long used() {
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /** The heap pools' occupancy right after their last collection (0 before the first). */
    private static long liveAfterLastCollection() {
        long sum = 0;
        for (MemoryPoolMXBean pool : HEAP_POOLS) {
            MemoryUsage u = pool.getCollectionUsage();
            sum += u == null ? 0 : u.getUsed();
        }
        return sum;
    }
}

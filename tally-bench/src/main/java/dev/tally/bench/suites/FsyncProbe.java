package dev.tally.bench.suites;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The disk alone, without SQLite: appends {@code bytesPerCommit} to a file and fsyncs it, on the same open-loop
 * schedule as the commits it stands for (each write timed from when it was due), rewriting the file from its
 * start once it reaches {@code wrapBytes}, as SQLite's log does after a checkpoint. Its tail is the floor the
 * ledger's tail cannot go under on this machine.
 */
final class FsyncProbe {
    private FsyncProbe() {}

    static Latency run(Path file, int bytesPerCommit, double commitsPerSecond, Duration length, long wrapBytes)
            throws IOException {
        Histogram h = new Histogram(3);
        ByteBuffer block = ByteBuffer.allocate(Math.max(1, bytesPerCommit));
        long interval = Math.max(1, (long) (1e9 / commitsPerSecond));
        try (FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            long start = System.nanoTime();
            long end = start + length.toNanos();
            long position = 0;
            for (long n = 0; ; n++) {
                long due = start + n * interval;
                if (due >= end) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                block.clear();
                ch.write(block, position);
                ch.force(false);
                position = position + block.capacity() >= wrapBytes ? 0 : position + block.capacity();
                h.recordValue(Math.max(1, (System.nanoTime() - due) / 1_000));
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return Latency.of(h);
    }
}

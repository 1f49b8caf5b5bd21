package dev.tally.bench;

import dev.tally.verify.Hashes;
import dev.tally.verify.StoredHashes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appending one leaf to the RFC 9162 Merkle tree in Go sumdb tlog's stored-hash layout: the leaf hash and
 * the hashes of the subtrees it completes (two hashes per leaf on average), reading the tree's right edge
 * from memory as the write path's extension does. The cost must not depend on the tree's size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MerkleBenchmarks {
    /** Tree sizes to append at: small, and the million entries of the verify benchmark. */
    @Param({"1000", "1000000"})
    public long size;

    private final Map<Long, byte[]> edge = new HashMap<>();
    private long n;
    private byte[] leafInput;

    /** A tree of {@code size} leaves, of which only the right edge is kept, as the write path keeps it. */
    @Setup(Level.Trial)
    public void build() {
        leafInput = Fixtures.transfer().currentHash().bytes();
        n = 0;
        while (n < size) {
            append();
        }
    }

    /** Leaf hash plus the stored hashes that leaf {@code n} adds. */
    @Benchmark
    public int appendLeaf() {
        return append();
    }

    private int append() {
        long index = StoredHashes.storedHashCount(n);
        List<byte[]> added = StoredHashes.appendHashes(n, Hashes.leafHash(leafInput), edge::get);
        for (byte[] h : added) {
            edge.put(index++, h);
        }
        n++;
        if ((n & 1023) == 0) {
            edge.keySet().retainAll(rightEdge(n));
        }
        return added.size();
    }

    /** Stored-hash indexes of the complete subtrees on the right edge of a tree of {@code leaves} leaves. */
    private static Set<Long> rightEdge(long leaves) {
        Set<Long> indexes = new HashSet<>();
        for (int level = 0; (leaves >> level) > 0; level++) {
            if (((leaves >> level) & 1) == 1) {
                indexes.add(StoredHashes.storedHashIndex(level, (leaves >> level) - 1));
            }
        }
        return indexes;
    }
}

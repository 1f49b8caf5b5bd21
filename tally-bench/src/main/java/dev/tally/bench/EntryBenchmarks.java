package dev.tally.bench;

import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.EntryHasher;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one ledger entry costs the writer before any I/O: its canonical encoding (docs/FORMAT.md) and its
 * hash, SHA-256 of that encoding. Both run once per entry, in chain order, on the sequencer's thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EntryBenchmarks {
    private LedgerEntry entry;

    @Setup
    public void setUp() {
        entry = Fixtures.transfer();
    }

    /** The bytes the hash covers, about 250 for a transfer with an API context. */
    @Benchmark
    public byte[] canonicalEncode() {
        return CanonicalEncoding.encode(entry);
    }

    /** Encoding plus SHA-256 (the JDK's, which uses the CPU's SHA extensions where it has them). */
    @Benchmark
    public Hash entryHash() {
        return EntryHasher.hash(entry);
    }
}

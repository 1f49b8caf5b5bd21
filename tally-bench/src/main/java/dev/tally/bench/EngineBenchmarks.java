package dev.tally.bench;

import dev.tally.core.command.Command;
import dev.tally.core.engine.Engine;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Overlay;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import java.util.UUID;
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
 * The engine's decision for one payment against warm, in-memory state: idempotency, freeze and currency
 * checks, the tax, funds and overflow checks, the sealed entry (encoding and hash) and the overlay
 * updates. This is the sequencer's CPU per transfer, without the store.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineBenchmarks {
    private Engine engine;
    private Fixtures.MemoryState state;
    private Command.Payment payment;

    @Setup
    public void setUp() {
        engine = new Engine(Rules.defaults());
        state = new Fixtures.MemoryState();
        UUID alice = state.open("alice", 1_000_000);
        UUID bob = state.open("bob", 1_000_000);
        payment = new Command.Payment(
                UUID.randomUUID().toString(),
                EntryType.TRANSFER,
                alice,
                bob,
                Money.ofMinor(Currency.EUR, 1234),
                Fixtures.WEB);
    }

    /** One payment decided on a fresh overlay (so state does not grow between invocations). */
    @Benchmark
    public Outcome applyPayment() {
        return engine.apply(payment, new Overlay(state), Fixtures.NOW);
    }
}

package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.command.Command;
import dev.tally.core.engine.CachedState;
import dev.tally.core.engine.Engine;
import dev.tally.core.engine.Overlay;
import dev.tally.core.engine.Rules;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.store.LedgerStore;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.store.Stores;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The store's share of the write path, measured alone: the same batches the sequencer would write (decided
 * by the same engine, untimed), handed straight to {@code LedgerStore.commit} back to back, timing only the
 * commits. Its rate is the ceiling of the sequencer on this store and machine, whatever the rest of the
 * write path costs. The bytes per entry say how much of that ceiling is the disk: for SQLite what this
 * process wrote ({@code /proc/self/io}, Linux only), for PostgreSQL the WAL it generated ({@link WrittenBytes}).
 */
final class StoreCeiling {
    private final BenchStores stores;
    private final WriteBench.Params p;
    private final Consumer<String> log;

    StoreCeiling(BenchStores stores, WriteBench.Params params, Consumer<String> log) {
        this.stores = stores;
        this.p = params;
        this.log = log;
    }

    ObjectNode run(Skew skew, String name) {
        String location = stores.fresh("store" + name);
        Population people;
        try (Ledger setup = Ledger.open(LedgerConfig.defaults().withLocation(location))) {
            people = Population.open(setup, p.accounts()).withTransactionIds(p.transactionIds());
        }
        Skew.Picker picker = skew.picker(p.accounts(), 42);
        SplittableRandom random = new SplittableRandom(7);
        try (LedgerStore store = Stores.open(location)) {
            Engine engine = new Engine(Rules.defaults());
            CachedState state = new CachedState(store);
            for (int i = 0; i < p.warmup(); i++) {
                round(store, engine, state, people, picker, random);
            }
            List<Double> rates = new ArrayList<>();
            long bytes = 0;
            long entries = 0;
            boolean bytesKnown = true;
            for (int i = 0; i < p.rounds(); i++) {
                OptionalLong before = WrittenBytes.sofar(store);
                double[] r = round(store, engine, state, people, picker, random);
                OptionalLong after = WrittenBytes.sofar(store);
                rates.add(r[0] / r[1]);
                entries += (long) r[0];
                if (before.isPresent() && after.isPresent()) {
                    bytes += after.getAsLong() - before.getAsLong();
                } else {
                    bytesKnown = false;
                }
                log.accept("  store only round " + (i + 1) + ": " + Format.count(rates.getLast())
                        + " entries/s of commit time");
            }
            Spread spread = Spread.of(rates);
            ObjectNode n = Views.object();
            n.set("entries_per_second", spread.json());
            String bytesName = WrittenBytes.perEntryName(store);
            if (bytesKnown) {
                n.put(bytesName, entries == 0 ? 0 : bytes / entries);
            }
            log.accept("  store only " + spread.text() + " entries/s (commits alone, no engine, no clients)"
                    + (n.has(bytesName)
                            ? "; "
                                    + WrittenBytes.perEntryText(
                                            store, n.get(bytesName).asLong())
                            : ""));
            return n;
        }
    }

    /** {entries, seconds spent in commit} of one round of full batches. */
    private double[] round(
            LedgerStore store,
            Engine engine,
            CachedState state,
            Population people,
            Skew.Picker picker,
            SplittableRandom random) {
        long committed = 0;
        long nanos = 0;
        Instant last = Instant.EPOCH;
        while (committed < p.transfers()) {
            int n = (int) Math.min(p.batch(), p.transfers() - committed);
            List<Command> commands = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                commands.add(people.transfer(picker, random));
            }
            state.prefetch(commands);
            Overlay overlay = new Overlay(state);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            last = now.isBefore(last) ? last : now;
            for (Command c : commands) {
                engine.apply(c, overlay, last);
            }
            WriteSet writes = overlay.toWriteSet(state.head());
            long t0 = System.nanoTime();
            store.commit(writes);
            nanos += System.nanoTime() - t0;
            state.applyCommitted(writes);
            committed += writes.entries().size();
        }
        return new double[] {committed, nanos / 1e9};
    }
}

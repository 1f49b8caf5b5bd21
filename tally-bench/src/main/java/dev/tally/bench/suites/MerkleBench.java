package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.TallyCli;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Engine;
import dev.tally.core.engine.MerkleExtension;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.core.store.LedgerStore;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.merkle.Checkpointer;
import dev.tally.ledger.merkle.MerkleLog;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.ledger.sequencer.Sequencer;
import dev.tally.ledger.sequencer.SequencerOptions;
import dev.tally.store.StoreOptions;
import dev.tally.store.Stores;
import dev.tally.store.testing.bench.BenchSql;
import dev.tally.verify.ConsistencyProof;
import dev.tally.verify.InclusionProof;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;

/**
 * {@code tally bench merkle}: the verifiable log at scale, in one run.
 * <ol>
 *   <li><b>Proofs</b>: builds a ledger of {@code entries} entries through the engine (1,000 accounts, random
 *       transfers; commits not fsynced, since only the result is measured), signs a checkpoint, then times
 *       inclusion proofs (by leaf and by transaction id, as {@code tally proof inclusion} looks them up) and
 *       consistency proofs against the full size, each verified.</li>
 *   <li><b>Append</b>: durable transfer throughput through the sequencer with the Merkle tree (the product)
 *       and without it (the same sequencer without its {@link MerkleExtension}), alternating on fresh stores,
 *       and once more on top of the big ledger, to show that appending does not slow down as it grows.</li>
 *   <li><b>Offline audit</b>: {@code tally export} of the big ledger, then {@code tally audit} of the file.</li>
 * </ol>
 */
final class MerkleBench {
    private static final int ACCOUNTS = 1000;
    private static final EntryContext WEB = new EntryContext(
            Optional.of("api-key-1"), Optional.of("192.168.1.100"), Optional.of("Mozilla/5.0 (X11; Linux x86_64)"));

    private final BenchStores stores;
    private final int entries;
    private final int rounds;
    private final int samples;
    private final int appendTransfers;
    private final Path scratch;
    private final Consumer<String> log;

    MerkleBench(
            BenchStores stores,
            int entries,
            int rounds,
            int samples,
            int appendTransfers,
            Path scratch,
            Consumer<String> log) {
        this.stores = stores;
        this.entries = entries;
        this.rounds = rounds;
        this.samples = samples;
        this.appendTransfers = appendTransfers;
        this.scratch = scratch;
        this.log = log;
    }

    ObjectNode run() throws Exception {
        ObjectNode report = Views.object();
        report.put("entries", entries);
        report.put("rounds", rounds);
        Path keys = Files.createDirectories(
                scratch.resolve("merkle-keys-" + ProcessHandle.current().pid()));
        try {
            SignerKeys.Written key = SignerKeys.generate(keys, "bench.tally.invalid/merkle");
            String big = stores.fresh("merkle");
            build(big);
            try (Ledger ledger = Ledger.open(LedgerConfig.defaults().withLocation(big))) {
                LedgerStore store = LedgerInternals.store(ledger);
                report.set("store", stores.describe(store));
                new Checkpointer(store, SignerKeys.loadSigner(key.privateKey()), Optional.empty(), Clock.systemUTC())
                        .checkpoint();
                report.set("proofs", proofs(ledger.log().merkleLog(), store));
                report.set("append", append(ledger));
            }
            report.set("offline_audit", audit(big, key.publicKey()));
        } finally {
            deleteTree(keys);
        }
        return report;
    }

    /** The big ledger: accounts, a mint each, then transfers in batches of 20,000, commits not fsynced. */
    private void build(String location) {
        long t0 = System.nanoTime();
        LedgerConfig config =
                LedgerConfig.defaults().withLocation(location).withStoreOptions(new StoreOptions(false, 8));
        try (Ledger ledger = Ledger.open(config)) {
            Random random = new Random(42);
            List<UUID> accounts = open(
                    ledger::submitAll, ledger.rules().currencies().find("EUR").orElseThrow());
            long have = LedgerInternals.store(ledger).loadHead().seq();
            while (have < entries) {
                int n = (int) Math.min(20_000, entries - have);
                join(ledger.submitAll(transfers(accounts, n, random)));
                have += n;
                if (have % 200_000 < n) {
                    log.accept("  built " + Format.count((double) have) + " entries");
                }
            }
        }
        log.accept("merkle: built " + Format.count(entries) + " entries in "
                + Format.seconds((System.nanoTime() - t0) / 1e9));
    }

    private ObjectNode proofs(MerkleLog log, LedgerStore store) {
        long size = log.size();
        Random random = new Random(7);
        List<String> txIds = new ArrayList<>();
        for (int i = 0; i < Math.min(samples, 2000); i++) {
            txIds.add(store.findEntryBySeq(1 + random.nextInt((int) size))
                    .orElseThrow()
                    .transactionId());
        }
        ObjectNode n = Views.object();
        n.put("tree_size", size);
        n.set("inclusion_by_leaf", time("inclusion proof (by leaf)", i -> {
            InclusionProof p = log.inclusionProof(random.nextLong(size), size);
            require(p.verify() && p.checkpoint().isPresent(), "inclusion proof does not verify");
        }));
        n.set("inclusion_by_transaction_id", time("inclusion proof (by transaction id)", i -> {
            InclusionProof p = log.inclusionProof(txIds.get((int) (i % txIds.size())), size);
            require(p.verify(), "inclusion proof does not verify");
        }));
        n.set("consistency", time("consistency proof", i -> {
            ConsistencyProof p = log.consistencyProof(1 + random.nextLong(size - 1), size);
            require(p.verify(), "consistency proof does not verify");
        }));
        return n;
    }

    /** Times {@code samples} calls after as many warm-up calls; microsecond percentiles. */
    private ObjectNode time(String what, LongConsumer call) {
        for (int i = 0; i < samples; i++) {
            call.accept(i);
        }
        Histogram h = new Histogram(3);
        long total = 0;
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            call.accept(i);
            long us = Math.max(1, (System.nanoTime() - t0) / 1000);
            total += us;
            h.recordValue(us);
        }
        Latency lat = Latency.of(h);
        ObjectNode n = lat.json();
        n.put("mean_us", total / samples);
        log.accept("  " + what + ": " + lat.text() + ", mean " + Format.millis(total / samples));
        return n;
    }

    /**
     * Durable append throughput with and without the tree, in alternating rounds: on fresh stores, and on
     * top of the big ledger (where a round without the tree is followed, untimed, by catching the tree up
     * with the entries it appended, so that the next round with the tree starts from a complete tree).
     */
    private ObjectNode append(Ledger big) {
        ObjectNode n = Views.object();
        n.put("transfers_per_round", appendTransfers);
        appendRound(true);
        appendRound(false); // warm-up
        n.set("fresh_store", compare("fresh store", this::appendRound));
        String location = LedgerInternals.store(big).describe();
        List<UUID> accounts = big
                .reads()
                .listAccounts(new dev.tally.core.store.AccountQuery(
                        Optional.empty(), Optional.of(Role.USER), Optional.empty(), 1000))
                .stream()
                .map(a -> a.id())
                .toList();
        LedgerStore store = LedgerInternals.store(big);
        ObjectNode atSize =
                compare("on top of " + Format.count(entries) + " entries", tree -> onBig(store, accounts, tree));
        atSize.put("ledger", location);
        n.set("big_ledger", atSize);
        return n;
    }

    /** Alternating rounds of {@code round(true)} (with the tree) and {@code round(false)}; medians and the tree's overhead. */
    private ObjectNode compare(String what, java.util.function.Function<Boolean, Double> round) {
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            boolean first = i % 2 == 0; // alternate which goes first, so that drift hits both alike
            double a = round.apply(first);
            double b = round.apply(!first);
            with.add(first ? a : b);
            without.add(first ? b : a);
            log.accept("  append " + what + ", round " + (i + 1) + ": with tree " + Format.count(with.get(i))
                    + "/s, without " + Format.count(without.get(i)) + "/s");
        }
        Spread w = Spread.of(with);
        Spread wo = Spread.of(without);
        double overhead = 1 - w.median() / wo.median();
        log.accept("  append " + what + ": with tree " + w.text() + "/s, without " + wo.text() + "/s: the tree costs "
                + String.format(java.util.Locale.ROOT, "%.1f%%", overhead * 100));
        ObjectNode n = Views.object();
        n.set("with_tree_per_second", w.json());
        n.set("without_tree_per_second", wo.json());
        n.put("tree_overhead_percent", Math.round(overhead * 1000) / 10.0);
        return n;
    }

    /** One round on the big ledger's store, through a sequencer of its own with or without the tree. */
    private double onBig(LedgerStore store, List<UUID> accounts, boolean tree) {
        Sequencer sequencer =
                new Sequencer(store, new Engine(Rules.defaults()), Clock.systemUTC(), SequencerOptions.DEFAULTS);
        try {
            if (tree) {
                sequencer.addExtension(new MerkleExtension(store::readTreeHashes));
            }
            long before = store.loadHead().seq();
            double rate = drive(sequencer::submitAll, accounts, new Random(before));
            if (!tree) {
                catchUpTree(store, before);
            }
            return rate;
        } finally {
            sequencer.close();
        }
    }

    /** Writes the stored hashes of the entries after {@code from}, which a round without the tree left out. */
    private static void catchUpTree(LedgerStore store, long from) {
        long head = store.loadHead().seq();
        List<dev.tally.core.ledger.LedgerEntry> added = new ArrayList<>();
        store.streamEntries(from + 1, head, e -> added.add(e));
        dev.tally.core.ledger.LedgerEntry before = store.findEntryBySeq(from).orElseThrow();
        dev.tally.core.engine.WriteSet batch = new dev.tally.core.engine.WriteSet(
                added,
                List.of(),
                java.util.Map.of(),
                java.util.Map.of(),
                java.util.Map.of(),
                new dev.tally.core.engine.ChainHead(from, before.currentHash()),
                new dev.tally.core.engine.ChainHead(
                        head, added.get(added.size() - 1).currentHash()),
                Optional.empty(),
                Optional.empty());
        dev.tally.core.engine.WriteSet.TreeHashes hashes = new MerkleExtension(store::readTreeHashes)
                .extend(batch)
                .treeHashes()
                .orElseThrow();
        BenchSql.appendTreeHashes(store, hashes.firstIndex(), hashes.hashes());
    }

    /** One round on a fresh durable store: the sequencer with or without its Merkle extension. */
    private double appendRound(boolean tree) {
        String location = stores.fresh(tree ? "with" : "without");
        try (LedgerStore store = Stores.open(location)) {
            Rules rules = Rules.defaults();
            Sequencer sequencer = new Sequencer(store, new Engine(rules), Clock.systemUTC(), SequencerOptions.DEFAULTS);
            try {
                if (tree) {
                    sequencer.addExtension(new MerkleExtension(store::readTreeHashes));
                }
                List<UUID> accounts = open(sequencer::submitAll, Currency.EUR);
                return drive(sequencer::submitAll, accounts, new Random(11));
            } finally {
                sequencer.close();
            }
        }
    }

    /** Four submitters send batches of 256 transfers until {@code appendTransfers} are durable; transfers per second. */
    private double drive(Submitter submit, List<UUID> accounts, Random random) {
        int chunk = 256;
        int chunks = Math.max(4, appendTransfers / chunk);
        List<List<Command>> work = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            work.add(transfers(accounts, chunk, random));
        }
        long t0 = System.nanoTime();
        List<CompletableFuture<List<Outcome>>> inFlight = new ArrayList<>();
        for (List<Command> batch : work) {
            inFlight.add(submit.submitAll(batch));
            if (inFlight.size() >= 4) {
                join(inFlight.remove(0));
            }
        }
        inFlight.forEach(MerkleBench::join);
        return (double) chunks * chunk / ((System.nanoTime() - t0) / 1e9);
    }

    private ObjectNode audit(String location, Path publicKey) throws IOException {
        Path file = scratch.resolve("merkle-export-" + ProcessHandle.current().pid() + ".jsonl");
        try {
            JsonNode exported = cli("export", "--db", location, "--out", file.toString(), "--json");
            log.accept(
                    "  export: " + Format.count((double) exported.get("entries").asLong()) + " entries, "
                            + Format.mib(exported.get("bytes").asLong()) + " in "
                            + Format.seconds(exported.get("elapsed_ms").asLong() / 1000.0));
            List<Double> rates = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                JsonNode audit = cli("audit", file.toString(), "--public-key", publicKey.toString(), "--json");
                require(audit.get("valid").asBoolean(), "the export does not audit: " + audit.get("message"));
                rates.add(audit.get("entries_per_second").asDouble());
                cpu.add(audit.get("cpu_ns_per_entry").asDouble());
                log.accept("  offline audit round " + (i + 1) + ": " + Format.count(rates.get(i)) + " entries/s ("
                        + audit.get("elapsed_ms").asLong() + " ms, " + Format.count(cpu.get(i))
                        + " ns of CPU per entry)");
            }
            ObjectNode n = Views.object();
            n.put("export_ms", exported.get("elapsed_ms").asLong());
            n.put("export_bytes", exported.get("bytes").asLong());
            n.set("entries_per_second", Spread.of(rates).json());
            n.set("cpu_ns_per_entry", Spread.of(cpu).json());
            n.put("threads", Runtime.getRuntime().availableProcessors());
            return n;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Runs a {@code tally} command in this JVM and returns its JSON output. */
    private static JsonNode cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TallyCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        require(code == 0 || args[0].equals("audit"), "tally " + args[0] + " failed: " + err);
        return Views.read(out.toString());
    }

    /** Opens the accounts and mints to each; returns their ids. */
    private static List<UUID> open(Submitter submit, Currency eur) {
        List<UUID> ids = new ArrayList<>();
        List<Command> opens = new ArrayList<>();
        List<Command> mints = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            opens.add(new Command.OpenAccount(id, "user" + i, "user" + i + "@example.com", Role.USER));
            mints.add(new Command.Mint(
                    "mint-" + i, id, Money.ofMinor(eur, 100_000_000_00L), EntryContext.actor("admin")));
        }
        join(submit.submitAll(opens));
        join(submit.submitAll(mints));
        return ids;
    }

    private static List<Command> transfers(List<UUID> accounts, int n, Random random) {
        List<Command> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int from = random.nextInt(accounts.size());
            int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
            batch.add(new Command.Payment(
                    UUID.randomUUID().toString(),
                    EntryType.TRANSFER,
                    accounts.get(from),
                    accounts.get(to),
                    Money.ofMinor(Currency.EUR, 100 + random.nextInt(10_000)),
                    WEB));
        }
        return batch;
    }

    /** A sequencer's or a ledger's batch submission. */
    @FunctionalInterface
    private interface Submitter {
        CompletableFuture<List<Outcome>> submitAll(List<? extends Command> commands);
    }

    private static void join(CompletableFuture<List<Outcome>> f) {
        f.join().forEach(o -> require(o.ok(), "a bench command was refused: " + o));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("bench merkle: " + message);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

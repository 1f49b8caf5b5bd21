package dev.tally.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.json.Views;
import dev.tally.core.command.Command;
import dev.tally.core.money.Money;
import dev.tally.server.TallyServer;
import dev.tally.server.auth.ApiKeys;
import dev.tally.server.auth.ApiRole;
import dev.tally.server.config.ServerConfig;
import dev.tally.store.jdbc.JdbcLedgerStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Recorder;

/**
 * {@code tally bench http}: transfers through {@code tally serve} on loopback, from a load generator in the
 * same JVM (so client and server share the machine, as the issue asks). A server with its defaults (the
 * Merkle tree on the write path, scheduled audits off) runs over a fresh store with funded accounts; then
 * {@code clients} keep-alive HTTP/1.1 clients each send one {@code POST /v1/transfers} and wait for the
 * answer before the next (transfers/s and latency), and {@code batchClients} clients send
 * {@code POST /v1/transfers/batch} requests of {@code batchSize} transfers (transfers/s). Warm-up rounds,
 * then measured rounds; every answer must be a success.
 */
final class HttpBench {
    /** The knobs of the http suite. */
    record Params(int clients, int accounts, int transfers, int batchClients, int batchSize, int batchTransfers, int rounds, int warmup) {
        ObjectNode json() {
            ObjectNode n = Views.object();
            n.put("clients", clients);
            n.put("accounts", accounts);
            n.put("transfers_per_round", transfers);
            n.put("batch_clients", batchClients);
            n.put("batch_size", batchSize);
            n.put("batch_transfers_per_round", batchTransfers);
            n.put("rounds", rounds);
            n.put("warmup_rounds", warmup);
            return n;
        }
    }

    private final BenchStores stores;
    private final Params p;
    private final Consumer<String> log;

    HttpBench(BenchStores stores, Params params, Consumer<String> log) {
        this.stores = stores;
        this.p = params;
        this.log = log;
    }

    ObjectNode run() throws Exception {
        ObjectNode report = Views.object();
        report.set("params", p.json());
        String admin = "bench-admin-" + UUID.randomUUID();
        ServerConfig config = ServerConfig.defaults().withDb(stores.fresh("http")).withHost("127.0.0.1").withPort(0)
                .withAdminKey(Optional.of(admin)).withAudit(ServerConfig.defaults().audit().withEnabled(false))
                .withLimits(ServerConfig.defaults().limits());
        try (TallyServer server = TallyServer.start(config)) {
            JdbcLedgerStore store = (JdbcLedgerStore) server.ledger().store();
            report.set("store", stores.describe(store));
            String key = ApiKeys.of(store).issue("bench", ApiRole.SERVICE, server.ledger().clock().instant()).secret();
            Population people = Population.open(server.ledger(), p.accounts);
            Skew.Picker picker = Skew.UNIFORM.picker(p.accounts, 42);
            URI base = URI.create("http://127.0.0.1:" + server.port());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            log.accept("http: tally serve on " + base + ", " + p.accounts + " accounts");
            System.gc();
            HeapSampler heap = HeapSampler.start();

            for (int i = 0; i < p.warmup; i++) {
                singles(http, base, key, people, picker, new Recorder(3));
            }
            Recorder latency = new Recorder(3);
            List<Double> rates = new ArrayList<>();
            for (int i = 0; i < p.rounds; i++) {
                rates.add(singles(http, base, key, people, picker, latency));
                log.accept("  single     round " + (i + 1) + ": " + Format.count(rates.getLast()) + " transfers/s");
            }
            Spread single = Spread.of(rates);
            Latency lat = Latency.of(latency.getIntervalHistogram());
            ObjectNode s = report.putObject("single");
            s.set("transfers_per_second", single.json());
            s.set("latency", lat.json());
            log.accept("  single     " + single.text() + " transfers/s with " + p.clients + " clients; latency " + lat.text());

            for (int i = 0; i < p.warmup; i++) {
                batches(http, base, key, people, picker);
            }
            List<Double> batchRates = new ArrayList<>();
            for (int i = 0; i < p.rounds; i++) {
                batchRates.add(batches(http, base, key, people, picker));
                log.accept("  batch      round " + (i + 1) + ": " + Format.count(batchRates.getLast()) + " transfers/s");
            }
            Spread batch = Spread.of(batchRates);
            report.putObject("batch").set("transfers_per_second", batch.json());
            log.accept("  batch      " + batch.text() + " transfers/s in batches of " + p.batchSize + " from " + p.batchClients + " clients");
            report.set("heap", heapJson(heap.stop()));
        }
        return report;
    }

    /**
     * The JVM's heap over both phases. Server and load generator share the JVM, so these bound the server's
     * heap from above; "live" is what survived a collection, the figure a heap limit must cover.
     */
    private ObjectNode heapJson(HeapSampler.Sample h) {
        ObjectNode n = Views.object();
        n.put("peak_used_mib", h.peakUsedBytes() >> 20);
        n.put("peak_live_after_gc_mib", h.peakLiveBytes() >> 20);
        n.put("max_heap_mib", h.maxHeapBytes() >> 20);
        log.accept("  heap       peak " + Format.mib(h.peakUsedBytes()) + " used, " + Format.mib(h.peakLiveBytes())
                + " live after a collection (server and load generator together; max heap " + Format.mib(h.maxHeapBytes()) + ")");
        return n;
    }

    /** One round of single transfers from every client; transfers per second. */
    private double singles(HttpClient http, URI base, String key, Population people, Skew.Picker picker, Recorder latency) throws Exception {
        AtomicLong next = new AtomicLong();
        URI uri = base.resolve("/v1/transfers");
        long start = System.nanoTime();
        run(p.clients, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (next.getAndIncrement() < p.transfers) {
                String body = json(people.transfer(picker, random));
                long t0 = System.nanoTime();
                send(http, uri, key, body, 201);
                latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
            }
        });
        return p.transfers / ((System.nanoTime() - start) / 1e9);
    }

    /** One round of batch requests; transfers per second. */
    private double batches(HttpClient http, URI base, String key, Population people, Skew.Picker picker) throws Exception {
        AtomicLong next = new AtomicLong();
        LongAdder sent = new LongAdder();
        URI uri = base.resolve("/v1/transfers/batch");
        long requests = Math.max(1, p.batchTransfers / p.batchSize);
        long start = System.nanoTime();
        run(p.batchClients, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (next.getAndIncrement() < requests) {
                StringBuilder body = new StringBuilder(p.batchSize * 200).append("{\"transfers\":[");
                for (int i = 0; i < p.batchSize; i++) {
                    body.append(i == 0 ? "" : ",").append(json(people.transfer(picker, random)));
                }
                send(http, uri, key, body.append("]}").toString(), 200);
                sent.add(p.batchSize);
            }
        });
        return sent.sum() / ((System.nanoTime() - start) / 1e9);
    }

    private static void send(HttpClient http, URI uri, String key, String body, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected || (expected == 200 && Views.read(response.body()).path("failed").asInt(-1) != 0)) {
            throw new IllegalStateException("tally serve answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String json(Command.Payment t) {
        return "{\"transaction_id\":\"" + t.transactionId() + "\",\"type\":\"TRANSFER\",\"sender_id\":\"" + t.senderId()
                + "\",\"receiver_id\":\"" + t.receiverId() + "\",\"currency\":\"" + t.amount().currency().code()
                + "\",\"amount\":\"" + Money.format(t.amount().minor(), t.amount().currency().scale()) + "\"}";
    }

    /** Runs {@code n} copies of {@code client} on virtual threads and waits for all; the first failure is thrown. */
    private static void run(int n, ThrowingRunnable client) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(pool.submit(() -> {
                    client.run();
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
    }

    /** A client's loop. */
    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}

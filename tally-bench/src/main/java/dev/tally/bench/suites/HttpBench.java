package dev.tally.bench.suites;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.command.Command;
import dev.tally.core.money.Money;
import dev.tally.core.store.LedgerStore;
import dev.tally.json.Views;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.server.TallyServer;
import dev.tally.server.auth.ApiKeys;
import dev.tally.server.auth.ApiRole;
import dev.tally.server.config.ServerConfig;
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
 * {@code clients} keep-alive HTTP/1.1 clients (each its own connection, see {@link LoopbackHttp}) each send one {@code POST /v1/transfers} and wait for the
 * answer before the next (transfers/s and latency), and {@code batchClients} clients send
 * {@code POST /v1/transfers/batch} requests of {@code batchSize} transfers (transfers/s). Warm-up rounds,
 * then measured rounds; every answer must be a success.
 */
final class HttpBench {
    /** The knobs of the http suite. */
    record Params(
            int clients,
            int accounts,
            int transfers,
            int batchClients,
            int batchSize,
            int batchTransfers,
            int rounds,
            int warmup) {
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
        ServerConfig config = ServerConfig.defaults()
                .withDb(stores.fresh("http"))
                .withHost("127.0.0.1")
                .withPort(0)
                .withAdminKey(Optional.of(admin))
                .withAudit(ServerConfig.defaults().audit().withEnabled(false))
                .withLimits(ServerConfig.defaults().limits());
        try (TallyServer server = TallyServer.start(config)) {
            LedgerStore store = LedgerInternals.store(server.ledger());
            report.set("store", stores.describe(store));
            String key = ApiKeys.of(store)
                    .issue("bench", ApiRole.SERVICE, server.ledger().clock().instant())
                    .secret();
            Population people = Population.open(server.ledger(), p.accounts);
            Skew.Picker picker = Skew.UNIFORM.picker(p.accounts, 42);
            URI base = URI.create("http://127.0.0.1:" + server.port());
            Clients http = JDK_CLIENT
                    ? new JdkClients(base, key)
                    : new KeptAlive(() -> new LoopbackHttp("127.0.0.1", server.port(), key));
            log.accept("http: tally serve on " + base + ", " + p.accounts + " accounts; load from "
                    + (JDK_CLIENT ? "java.net.http.HttpClient" : "blocking HTTP/1.1 keep-alive sockets"));
            System.gc();
            HeapSampler heap = HeapSampler.start();

            for (int i = 0; i < p.warmup; i++) {
                singles(http, people, picker, new Recorder(3));
            }
            Recorder latency = new Recorder(3);
            List<Double> rates = new ArrayList<>();
            CpuMeter singleCpu = CpuMeter.start();
            for (int i = 0; i < p.rounds; i++) {
                rates.add(singles(http, people, picker, latency));
                log.accept("  single     round " + (i + 1) + ": " + Format.count(rates.getLast()) + " transfers/s");
            }
            CpuMeter.Spent singleSpent = singleCpu.stop();
            Spread single = Spread.of(rates);
            Latency lat = Latency.of(latency.getIntervalHistogram());
            ObjectNode s = report.putObject("single");
            s.set("transfers_per_second", single.json());
            s.set("latency", lat.json());
            long singleTransfers = (long) p.rounds * p.transfers;
            s.set("cpu_per_transfer", singleSpent.perOperationJson(singleTransfers));
            log.accept("  single     " + single.text() + " transfers/s with " + p.clients + " clients; latency "
                    + lat.text());
            log.accept("  single     " + singleSpent.text(singleTransfers, CORES));

            for (int i = 0; i < p.warmup; i++) {
                batches(http, people, picker);
            }
            List<Double> batchRates = new ArrayList<>();
            CpuMeter batchCpu = CpuMeter.start();
            long batchSent = 0;
            for (int i = 0; i < p.rounds; i++) {
                batchSent += Math.max(1, p.batchTransfers / p.batchSize) * (long) p.batchSize;
                batchRates.add(batches(http, people, picker));
                log.accept(
                        "  batch      round " + (i + 1) + ": " + Format.count(batchRates.getLast()) + " transfers/s");
            }
            CpuMeter.Spent batchSpent = batchCpu.stop();
            Spread batch = Spread.of(batchRates);
            ObjectNode b = report.putObject("batch");
            b.set("transfers_per_second", batch.json());
            b.set("cpu_per_transfer", batchSpent.perOperationJson(batchSent));
            log.accept("  batch      " + batch.text() + " transfers/s in batches of " + p.batchSize + " from "
                    + p.batchClients + " clients");
            log.accept("  batch      " + batchSpent.text(batchSent, CORES));
            report.set("heap", heapJson(heap.stop()));
            // On a failure the server's stop closes the connections from its side.
            http.close();
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
                + " live after a collection (server and load generator together; max heap "
                + Format.mib(h.maxHeapBytes()) + ")");
        return n;
    }

    /** One round of single transfers from every client; transfers per second. */
    private double singles(Clients http, Population people, Skew.Picker picker, Recorder latency) throws Exception {
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        run(p.clients, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try (Client client = http.open()) {
                while (next.getAndIncrement() < p.transfers) {
                    String body = json(people.transfer(picker, random));
                    long t0 = System.nanoTime();
                    send(client, "/v1/transfers", body, 201);
                    latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
                }
            }
        });
        return p.transfers / ((System.nanoTime() - start) / 1e9);
    }

    /** One round of batch requests; transfers per second. */
    private double batches(Clients http, Population people, Skew.Picker picker) throws Exception {
        AtomicLong next = new AtomicLong();
        LongAdder sent = new LongAdder();
        long requests = Math.max(1, p.batchTransfers / p.batchSize);
        long start = System.nanoTime();
        run(p.batchClients, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try (Client client = http.open()) {
                while (next.getAndIncrement() < requests) {
                    StringBuilder body = new StringBuilder(p.batchSize * 200).append("{\"transfers\":[");
                    for (int i = 0; i < p.batchSize; i++) {
                        body.append(i == 0 ? "" : ",").append(json(people.transfer(picker, random)));
                    }
                    send(client, "/v1/transfers/batch", body.append("]}").toString(), 200);
                    sent.add(p.batchSize);
                }
            }
        });
        return sent.sum() / ((System.nanoTime() - start) / 1e9);
    }

    private static void send(Client client, String path, String body, int expected) throws Exception {
        LoopbackHttp.Answer response = client.post(path, body);
        if (response.status() != expected || (expected == 200 && failed(response.body()) != 0)) {
            throw new IllegalStateException(
                    "tally serve answered " + response.status() + ": " + abbreviate(response.body()));
        }
    }

    /**
     * The load generator's HTTP client: {@link LoopbackHttp} (blocking keep-alive sockets, one per client) by
     * default; {@code -Dtally.bench.http.client=jdk} selects {@code java.net.http.HttpClient}, the generator of
     * earlier measurements, whose own CPU use on a small machine lowers the figure (see {@link LoopbackHttp}).
     */
    private static final boolean JDK_CLIENT = "jdk".equals(System.getProperty("tally.bench.http.client"));

    /** Opens one client's connection(s). */
    @FunctionalInterface
    private interface Clients extends AutoCloseable {
        Client open();

        @Override
        default void close() {}
    }

    /** One client: one request in flight at a time, over keep-alive connections. */
    @FunctionalInterface
    private interface Client extends AutoCloseable {
        LoopbackHttp.Answer post(String path, String json) throws Exception;

        @Override
        default void close() {}
    }

    /**
     * Clients on their own keep-alive sockets, kept open from one round to the next as long-lived clients
     * would keep them (and as java.net.http.HttpClient's pool does): connecting 64 clients at once at the start
     * of every measured round could overflow the listen backlog, and a dropped SYN costs a 1 s retransmission.
     */
    private static final class KeptAlive implements Clients {
        private final java.util.function.Supplier<LoopbackHttp> connect;
        private final java.util.concurrent.ConcurrentLinkedQueue<LoopbackHttp> idle =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        KeptAlive(java.util.function.Supplier<LoopbackHttp> connect) {
            this.connect = connect;
        }

        @Override
        public Client open() {
            LoopbackHttp kept = idle.poll();
            LoopbackHttp connection = kept != null ? kept : connect.get();
            return new Client() {
                @Override
                public LoopbackHttp.Answer post(String path, String json) throws Exception {
                    return connection.post(path, json);
                }

                @Override
                public void close() {
                    idle.add(connection);
                }
            };
        }

        @Override
        public void close() {
            for (LoopbackHttp c; (c = idle.poll()) != null; ) {
                c.close();
            }
        }
    }

    /** Every client shares one java.net.http.HttpClient (its own keep-alive pool), as earlier versions did. */
    private static final class JdkClients implements Clients {
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        private final URI base;
        private final String key;

        JdkClients(URI base, String key) {
            this.base = base;
            this.key = key;
        }

        @Override
        public Client open() {
            return (path, json) -> {
                HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofMinutes(1))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                return new LoopbackHttp.Answer(response.statusCode(), response.body());
            };
        }
    }

    /**
     * The top-level {@code failed} count of a batch answer, -1 when there is none: read with a streaming
     * parser that stops there (the field comes before the 1,000 results), so that checking an answer does not
     * cost the generator a tree of the whole answer, CPU the server under test would lack.
     */
    static int failed(String body) throws java.io.IOException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("failed")) {
                    return value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                }
                p.skipChildren();
            }
            return -1;
        }
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String json(Command.Payment t) {
        return "{\"transaction_id\":\"" + t.transactionId() + "\",\"type\":\"TRANSFER\",\"sender_id\":\"" + t.senderId()
                + "\",\"receiver_id\":\"" + t.receiverId() + "\",\"currency\":\""
                + t.amount().currency().code()
                + "\",\"amount\":\""
                + Money.format(t.amount().minor(), t.amount().currency().scale()) + "\"}";
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

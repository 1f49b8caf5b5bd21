import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The crash campaign: runs {@code tally serve} over one store, sends concurrent transfers and large linked
 * batches, kills the server with SIGKILL at random moments (also while a linked batch is in flight, while
 * the server signs its frequent checkpoints, and kills {@code tally checkpoint} itself), restarts it, and
 * after every cycle checks what a ledger promises: nothing acknowledged is lost, nothing is written twice,
 * a request whose answer was lost is there once or not at all and its resend answers 201 or 200 accordingly,
 * a linked batch is all or nothing, and verify, reconcile, supply conservation and the witness file agree.
 * On SQLite, whose history is indexed behind the commits in a side file, it also checks after every restart
 * that the history of a few accounts is exactly the entries that name them.
 *
 * <p>Run through {@code scripts/crash-campaign} (which builds the jar, prepares PostgreSQL and puts the jar
 * on the class path): {@code java -cp tally.jar scripts/CrashCampaign.java --store sqlite --cycles 3 ...}.
 * It exits 0 when every invariant held, 1 when one broke, 2 on a usage or environment error.
 */
public final class CrashCampaign {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_KEY = "crash-campaign-admin-key-0123456789abcdef";
    static final int ACCOUNTS = 16;
    /** Accounts whose whole history is checked after each restart (another few each cycle). */
    static final int HISTORY_ACCOUNTS = 3;

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("crash-campaign: " + e.getMessage());
            System.exit(2);
            return;
        }
        Campaign c = new Campaign(o);
        // A long run stopped by hand (Ctrl-C, SIGTERM) still prints what it has counted, and leaves no server.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            c.server.kill();
            c.printCounts();
        }));
        boolean ok;
        try {
            ok = c.run();
        } catch (Broken e) {
            System.err.println("crash-campaign [" + o.store + "]: INVARIANT BROKEN: " + e.getMessage());
            c.printCounts();
            System.exit(1);
            return;
        } finally {
            c.server.kill();
        }
        c.printCounts();
        System.exit(ok ? 0 : 1);
    }

    /** An invariant that did not hold. */
    static final class Broken extends RuntimeException {
        Broken(String message) {
            super(message);
        }
    }

    /** The command line. */
    record Options(String store, String db, String jdbcUrl, int cycles, Path work, Path jar, String java,
                   long seed, int threads, int batchSize, boolean witnessGapsFail) {
        static Options parse(String[] args) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
                }
                m.put(args[i].substring(2), args[++i]);
            }
            for (String required : List.of("store", "db", "jdbc-url", "work", "jar", "java")) {
                if (!m.containsKey(required)) {
                    throw new IllegalArgumentException("missing --" + required);
                }
            }
            return new Options(m.get("store"), m.get("db"), m.get("jdbc-url"), Integer.parseInt(m.getOrDefault("cycles", "3")),
                    Path.of(m.get("work")), Path.of(m.get("jar")), m.get("java"),
                    Long.parseLong(m.getOrDefault("seed", String.valueOf(System.nanoTime()))),
                    Integer.parseInt(m.getOrDefault("threads", "6")), Integer.parseInt(m.getOrDefault("batch-size", "250")),
                    !"warn".equals(m.getOrDefault("witness-gaps", "fail")));
        }
    }

    /** One request whose fate the campaign tracks: a single transfer or a linked batch. */
    record Sent(List<String> ids, String path, String body, String idempotencyKey) {
        boolean batch() {
            return path.endsWith("/batch");
        }
    }

    /** What the campaign has seen so far. */
    static final class Ledger {
        final Map<String, Sent> acknowledged = new HashMap<>();
        final ConcurrentLinkedQueue<Sent> ackQueue = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Sent> inDoubt = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Sent> refused = new ConcurrentLinkedQueue<>();
        final AtomicLong unsent = new AtomicLong();
        long ackTransfers;
        long inDoubtTransfers;
        long inDoubtBatches;
        long inDoubtPresent;
        long inDoubtAbsent;
        long refusedTransfers;
        long resent201;
        long resent200;
        long killsDuringBatch;
        long killsRandom;
        long checkpointKills;
        long unpublishedCheckpoints;
        long cycles;

        void drainAcks() {
            for (Sent s; (s = ackQueue.poll()) != null; ) {
                for (String id : s.ids()) {
                    acknowledged.put(id, s);
                }
                ackTransfers += s.ids().size();
            }
        }
    }

    /** The campaign over one store. */
    static final class Campaign {
        final Options o;
        final Random random;
        final Ledger seen = new Ledger();
        final Server server;
        final Path witness;
        final Path privateKey;
        final Path publicKey;
        final Path config;
        List<String> accounts = new ArrayList<>();

        Campaign(Options o) {
            this.o = o;
            this.random = new Random(o.seed);
            this.witness = o.work.resolve("witness.log");
            this.privateKey = o.work.resolve("keys/checkpoint.key");
            this.publicKey = o.work.resolve("keys/checkpoint.pub");
            this.config = o.work.resolve("serve.yaml");
            this.server = new Server(o, config);
        }

        boolean run() throws Exception {
            say("seed " + o.seed + ", " + o.cycles + " cycles, " + o.threads + " threads, linked batches of " + o.batchSize);
            Cli.run(o, List.of("keygen", "--out", o.work.resolve("keys").toString()), 0);
            Files.writeString(config, """
                    checkpoints:
                      private_key: %s
                      witness: %s
                      every_entries: 32
                      every: 1s
                    audit:
                      enabled: false
                    """.formatted(privateKey, witness));
            server.start();
            setUp();
            for (int cycle = 1; cycle <= o.cycles; cycle++) {
                long started = System.nanoTime();
                Load load = new Load(o, server.port, accounts, seen, random.nextLong(), cycle);
                load.start();
                boolean duringBatch = killMoment(load);
                server.kill();
                load.stop();
                if (duringBatch) {
                    seen.killsDuringBatch++;
                } else {
                    seen.killsRandom++;
                }
                seen.drainAcks();
                List<Sent> doubt = drain(seen.inDoubt);
                List<Sent> refused = drain(seen.refused);
                Map<String, Integer> stored = Db.transactionIds(o.jdbcUrl);
                checkStored(stored, doubt, refused);
                checkpointKilledAtRandom();
                checkpointAndCheckLedger();
                server.start();
                resend(doubt, stored);
                if (o.store.equals("sqlite")) {
                    checkHistory(cycle);
                }
                seen.cycles++;
                say(String.format("cycle %d: %d acknowledged, %d in doubt (%d batches), killed %s, %.1f s", cycle,
                        seen.ackTransfers, seen.inDoubtTransfers, seen.inDoubtBatches,
                        duringBatch ? "during a linked batch" : "at random", (System.nanoTime() - started) / 1e9));
            }
            server.kill();
            seen.drainAcks();
            checkStored(Db.transactionIds(o.jdbcUrl), List.of(), List.of());
            checkpointAndCheckLedger();
            return true;
        }

        /** Waits for the moment to kill: a random time under load, or a linked batch in flight. */
        boolean killMoment(Load load) throws InterruptedException {
            Thread.sleep(500 + random.nextInt(4000));
            if (random.nextInt(3) == 0) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!load.batchInFlight.get() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                if (load.batchInFlight.get()) {
                    Thread.sleep(random.nextInt(60));
                    return load.batchInFlight.get();
                }
            }
            return false;
        }

        /** Accounts with plenty of money, before the first kill. */
        void setUp() throws Exception {
            Http http = new Http(server.port);
            for (int i = 0; i < ACCOUNTS; i++) {
                String name = "cc-user-" + i;
                HttpResponse<String> r = http.send("/v1/accounts", "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.com\"}", null);
                expect(r, 201, "opening " + name);
                accounts.add(name);
                HttpResponse<String> m = http.send("/v1/mint", "{\"transaction_id\":\"cc-mint-" + i + "\",\"receiver_id\":\"" + name
                        + "\",\"currency\":\"EUR\",\"amount\":\"10000000.00\"}", null);
                expect(m, 201, "minting into " + name);
            }
        }

        /**
         * Right after the kill, in the database: every acknowledged id once; every in-doubt id once or not
         * at all, a linked batch entirely or not at all; nothing refused and nothing the campaign never sent.
         */
        void checkStored(Map<String, Integer> stored, List<Sent> doubt, List<Sent> refused) {
            Map<String, Boolean> doubtIds = new HashMap<>();
            for (Sent s : doubt) {
                s.ids().forEach(id -> doubtIds.put(id, true));
            }
            for (Map.Entry<String, Integer> e : stored.entrySet()) {
                if (e.getValue() != 1) {
                    throw new Broken("transaction " + e.getKey() + " is stored " + e.getValue() + " times");
                }
                String id = e.getKey();
                if (id.startsWith("cc-t") && !seen.acknowledged.containsKey(id) && !doubtIds.containsKey(id)) {
                    throw new Broken("transaction " + id + " is stored but was neither acknowledged nor in doubt (refused or never sent)");
                }
            }
            for (String id : seen.acknowledged.keySet()) {
                if (!stored.containsKey(id)) {
                    throw new Broken("acknowledged transaction " + id + " is lost");
                }
            }
            for (Sent s : refused) {
                for (String id : s.ids()) {
                    if (stored.containsKey(id)) {
                        throw new Broken("refused transaction " + id + " was written");
                    }
                }
            }
            for (Sent s : doubt) {
                long present = s.ids().stream().filter(stored::containsKey).count();
                if (present != 0 && present != s.ids().size()) {
                    throw new Broken("linked batch " + s.ids().get(0) + "… is half written: " + present + " of " + s.ids().size());
                }
            }
        }

        /** Sometimes kills {@code tally checkpoint} mid-run (the server is down, so it is the only writer). */
        void checkpointKilledAtRandom() throws Exception {
            if (random.nextInt(2) == 0) {
                return;
            }
            Process p = Cli.start(o, List.of("checkpoint", "--db", o.db, "--key", privateKey.toString(), "--witness", witness.toString()));
            Thread.sleep(200 + random.nextInt(1500));
            if (p.isAlive()) {
                p.destroyForcibly().waitFor();
                seen.checkpointKills++;
            } else {
                p.waitFor();
            }
        }

        /**
         * A {@code tally checkpoint} run to its end (which may publish what a crash left unpublished), then
         * verify (with the witness), reconcile, supply, and every stored checkpoint in the witness file.
         */
        void checkpointAndCheckLedger() throws Exception {
            Cli.run(o, List.of("checkpoint", "--db", o.db, "--key", privateKey.toString(), "--witness", witness.toString()), 0);
            String verify = Cli.run(o, List.of("verify", "--db", o.db, "--json", "--checkpoints", witness.toString(),
                    "--public-key", publicKey.toString()), -1);
            JsonNode v = json(verify, "verify");
            if (!v.path("valid").asBoolean(false) || Cli.lastExit != 0) {
                throw new Broken("tally verify --checkpoints failed (exit " + Cli.lastExit + "): " + verify);
            }
            String reconcile = Cli.run(o, List.of("reconcile", "--db", o.db, "--json"), -1);
            if (!json(reconcile, "reconcile").path("valid").asBoolean(false) || Cli.lastExit != 0) {
                throw new Broken("tally reconcile failed (exit " + Cli.lastExit + "): " + reconcile);
            }
            String supply = Cli.run(o, List.of("supply", "--db", o.db, "--json"), 0);
            for (JsonNode c : json(supply, "supply").path("currencies")) {
                if (!c.path("conserved").asBoolean(false)) {
                    throw new Broken("supply is not conserved: " + supply);
                }
            }
            String published = Files.exists(witness) ? Files.readString(witness) : "";
            long unpublished = Db.checkpointNotes(o.jdbcUrl).stream().filter(note -> !published.contains(note.strip())).count();
            if (unpublished > seen.unpublishedCheckpoints) {
                String message = (unpublished - seen.unpublishedCheckpoints) + " more checkpoint(s) in the database are missing from the witness file";
                if (o.witnessGapsFail) {
                    throw new Broken(message);
                }
                say("WARNING: " + message);
                seen.unpublishedCheckpoints = unpublished;
            }
        }

        /** Resends every in-doubt request as it was: 201 when it had not been written, 200 when it had. */
        void resend(List<Sent> doubt, Map<String, Integer> storedBefore) throws Exception {
            Http http = new Http(server.port);
            for (Sent s : doubt) {
                boolean wasWritten = storedBefore.containsKey(s.ids().get(0));
                if (wasWritten) {
                    seen.inDoubtPresent += s.ids().size();
                } else {
                    seen.inDoubtAbsent += s.ids().size();
                }
                HttpResponse<String> r = http.send(s.path(), s.body(), s.idempotencyKey());
                if (s.batch()) {
                    expect(r, 200, "resending linked batch " + s.ids().get(0));
                    String outcome = wasWritten ? "replayed" : "created";
                    for (JsonNode result : JSON.readTree(r.body()).path("results")) {
                        if (!outcome.equals(result.path("outcome").asText())) {
                            throw new Broken("resent linked batch " + s.ids().get(0) + " answered " + result + ", expected " + outcome);
                        }
                    }
                } else {
                    expect(r, wasWritten ? 200 : 201, "resending in-doubt transfer " + s.ids().get(0)
                            + (wasWritten ? " (it was written)" : " (it was not written)"));
                }
                if (wasWritten) {
                    seen.resent200++;
                } else {
                    seen.resent201++;
                }
                seen.ackQueue.add(s);
            }
            seen.drainAcks();
        }

        /**
         * The whole history of a few accounts (another few each cycle), read through the restarted server, is
         * exactly the entries that name them in a scan of every entry, newest first. On SQLite the history is
         * read through an index filled behind the commits in a side file, written without fsync: whatever
         * state a kill left it in, the reopened ledger must answer exactly.
         */
        void checkHistory(int cycle) throws Exception {
            Http http = new Http(server.port);
            Map<String, List<String>> served = new LinkedHashMap<>();
            Map<String, String> names = new LinkedHashMap<>();
            for (int k = 0; k < HISTORY_ACCOUNTS; k++) {
                String name = accounts.get((cycle * HISTORY_ACCOUNTS + k) % accounts.size());
                String id = historyOf(http, name, served);
                names.put(id, name);
            }
            Map<String, List<String>> naming = Db.entriesNaming(o.jdbcUrl, served.keySet());
            long entries = 0;
            for (Map.Entry<String, List<String>> h : served.entrySet()) {
                List<String> expected = naming.get(h.getKey());
                if (!h.getValue().equals(expected)) {
                    throw new Broken("the history of " + names.get(h.getKey()) + " is not the entries that name it: "
                            + firstDifference(h.getValue(), expected));
                }
                entries += expected.size();
            }
            say(String.format("cycle %d: history of %s exact (%d entries)", cycle, String.join(", ", names.values()), entries));
        }

        /** Reads every page of {@code name}'s history into {@code served} (under its id); returns its id. */
        String historyOf(Http http, String name, Map<String, List<String>> served) throws Exception {
            List<String> ids = new ArrayList<>();
            String cursor = null;
            String id;
            do {
                String path = "/v1/accounts/" + name + "/history?direction=all&limit=1000"
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                HttpResponse<String> r = http.get(path);
                expect(r, 200, "reading the history of " + name);
                JsonNode page = JSON.readTree(r.body());
                id = page.path("account_id").asText();
                for (JsonNode e : page.path("entries")) {
                    ids.add(e.path("transaction_id").asText());
                }
                JsonNode next = page.path("next_cursor");
                cursor = next.isTextual() ? next.asText() : null;
            } while (cursor != null);
            served.put(id, ids);
            return id;
        }

        static String firstDifference(List<String> served, List<String> expected) {
            int i = 0;
            while (i < served.size() && i < expected.size() && served.get(i).equals(expected.get(i))) {
                i++;
            }
            return "it lists " + served.size() + " entries, the ledger holds " + expected.size() + "; from position " + i
                    + " (newest first) it lists " + served.subList(i, Math.min(served.size(), i + 3))
                    + " where the ledger has " + expected.subList(i, Math.min(expected.size(), i + 3));
        }

        private final AtomicBoolean printed = new AtomicBoolean();

        void printCounts() {
            if (!printed.compareAndSet(false, true)) {
                return;
            }
            seen.drainAcks();
            System.out.printf("crash-campaign [%s]: cycles=%d acknowledged=%d in_doubt=%d (batches=%d; present=%d absent=%d) "
                            + "resent_201=%d resent_200=%d refused=%d lost=%s duplicated=0 kills_during_batch=%d kills_random=%d "
                            + "checkpoint_cli_kills=%d unpublished_checkpoints=%d seed=%d%n",
                    o.store, seen.cycles, seen.ackTransfers, seen.inDoubtTransfers, seen.inDoubtBatches, seen.inDoubtPresent,
                    seen.inDoubtAbsent, seen.resent201, seen.resent200, seen.refusedTransfers,
                    "0", seen.killsDuringBatch, seen.killsRandom, seen.checkpointKills, seen.unpublishedCheckpoints, o.seed);
        }

        List<Sent> drain(ConcurrentLinkedQueue<Sent> q) {
            List<Sent> out = new ArrayList<>();
            for (Sent s; (s = q.poll()) != null; ) {
                out.add(s);
                if (q == seen.inDoubt) {
                    seen.inDoubtTransfers += s.ids().size();
                    if (s.batch()) {
                        seen.inDoubtBatches++;
                    }
                } else {
                    seen.refusedTransfers += s.ids().size();
                }
            }
            return out;
        }

        void say(String line) {
            System.out.println("crash-campaign [" + o.store + "]: " + line);
        }
    }

    static JsonNode json(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new Broken(what + " did not print JSON: " + text);
        }
    }

    static void expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new Broken(what + ": expected " + status + ", got " + r.statusCode() + " " + r.body());
        }
    }

    /** Concurrent single transfers and a stream of large linked batches, until the server dies. */
    static final class Load {
        final Options o;
        final int port;
        final List<String> accounts;
        final Ledger seen;
        final long seed;
        final int cycle;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicBoolean batchInFlight = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();

        Load(Options o, int port, List<String> accounts, Ledger seen, long seed, int cycle) {
            this.o = o;
            this.port = port;
            this.accounts = accounts;
            this.seen = seen;
            this.seed = seed;
            this.cycle = cycle;
        }

        void start() {
            for (int t = 0; t < o.threads; t++) {
                int worker = t;
                threads.add(Thread.ofPlatform().name("transfers-" + t).start(() -> transfers(worker)));
            }
            threads.add(Thread.ofPlatform().name("batches").start(this::batches));
        }

        void stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }

        void transfers(int worker) {
            Http http = new Http(port);
            Random r = new Random(seed + worker);
            for (long n = 0; !stop.get(); n++) {
                String id = "cc-t-" + cycle + "-" + worker + "-" + n;
                ObjectNode body = transfer(r, id);
                String key = null;
                switch (r.nextInt(3)) {
                    case 0 -> key = id;
                    case 1 -> {
                        key = id;
                        body.remove("transaction_id");
                    }
                    default -> { }
                }
                send(http, new Sent(List.of(id), "/v1/transfers", body.toString(), key), 201);
            }
        }

        void batches() {
            Http http = new Http(port);
            Random r = new Random(seed - 1);
            for (long n = 0; !stop.get(); n++) {
                ObjectNode body = JSON.createObjectNode();
                body.put("linked", true);
                ArrayNode items = body.putArray("transfers");
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < o.batchSize; i++) {
                    String id = "cc-t-" + cycle + "-b" + n + "-" + i;
                    ids.add(id);
                    items.add(transfer(r, id));
                }
                batchInFlight.set(true);
                try {
                    send(http, new Sent(ids, "/v1/transfers/batch", body.toString(), null), 200);
                } finally {
                    batchInFlight.set(false);
                }
            }
        }

        ObjectNode transfer(Random r, String id) {
            int from = r.nextInt(accounts.size());
            int to = (from + 1 + r.nextInt(accounts.size() - 1)) % accounts.size();
            ObjectNode t = JSON.createObjectNode();
            t.put("transaction_id", id);
            t.put("sender_id", accounts.get(from));
            t.put("receiver_id", accounts.get(to));
            t.put("currency", "EUR");
            int cents = 1 + r.nextInt(999);
            t.put("amount", cents / 100 + "." + String.format("%02d", cents % 100));
            return t;
        }

        void send(Http http, Sent s, int created) {
            try {
                HttpResponse<String> r = http.send(s.path(), s.body(), s.idempotencyKey());
                if (r.statusCode() == created || r.statusCode() == 200) {
                    seen.ackQueue.add(s);
                } else {
                    seen.refused.add(s);
                    System.err.println("crash-campaign: refused " + s.ids().get(0) + ": " + r.statusCode() + " " + r.body());
                }
            } catch (ConnectException e) {
                seen.unsent.incrementAndGet();
                sleepQuietly();
            } catch (IOException e) {
                seen.inDoubt.add(s);
                sleepQuietly();
            }
        }

        void sleepQuietly() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A JSON POST client with the admin key. */
    static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build();
        final String base;

        Http(int port) {
            this.base = "http://127.0.0.1:" + port;
        }

        HttpResponse<String> get(String path) throws IOException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + ADMIN_KEY).GET().build();
            try {
                return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        HttpResponse<String> send(String path, String body, String idempotencyKey) throws IOException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + ADMIN_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (idempotencyKey != null) {
                b.header("Idempotency-Key", idempotencyKey);
            }
            try {
                return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /** {@code tally serve} as a child process that is only ever stopped by SIGKILL. */
    static final class Server {
        final Options o;
        final Path config;
        Process process;
        int port;

        Server(Options o, Path config) {
            this.o = o;
            this.config = config;
        }

        void start() throws Exception {
            port = freePort();
            ProcessBuilder pb = new ProcessBuilder(Cli.command(o, List.of("serve", "--config", config.toString(), "--db", o.db,
                    "--host", "127.0.0.1", "--port", String.valueOf(port))));
            pb.environment().put("TALLY_ADMIN_KEY", ADMIN_KEY);
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(o.work.resolve("serve.log").toFile()));
            process = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            HttpClient client = Http.CLIENT;
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new Broken("tally serve exited with " + process.exitValue() + " on start; see " + o.work.resolve("serve.log"));
                }
                try {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new Broken("tally serve did not become ready within 120 s; see " + o.work.resolve("serve.log"));
        }

        /** SIGKILL (Process.destroyForcibly on Unix), then waits until the process is gone. */
        void kill() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }

    /** The tally CLI as a child process. */
    static final class Cli {
        static int lastExit;

        static List<String> command(Options o, List<String> args) {
            List<String> cmd = new ArrayList<>(List.of(o.java, "--enable-native-access=ALL-UNNAMED", "-jar", o.jar.toString()));
            cmd.addAll(args);
            return cmd;
        }

        static Process start(Options o, List<String> args) throws IOException {
            return new ProcessBuilder(command(o, args)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(o.work.resolve("cli.log").toFile())).start();
        }

        /** Runs to the end and returns stdout; an expected exit of -1 accepts any. */
        static String run(Options o, List<String> args, int expectedExit) throws Exception {
            Path out = Files.createTempFile(o.work, "cli", ".out");
            Process p = new ProcessBuilder(command(o, args)).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(o.work.resolve("cli.log").toFile())).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Broken("tally " + String.join(" ", args) + " did not finish within 300 s");
            }
            lastExit = p.exitValue();
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            if (expectedExit >= 0 && lastExit != expectedExit) {
                throw new Broken("tally " + String.join(" ", args) + " exited " + lastExit + ": " + text + " (see " + o.work.resolve("cli.log") + ")");
            }
            return text;
        }
    }

    /** Reads the store directly, with the drivers in the tally jar. */
    static final class Db {
        static Map<String, Integer> transactionIds(String url) {
            Map<String, Integer> ids = new LinkedHashMap<>();
            query(url, "SELECT transaction_id FROM ledger_entries", rs -> ids.merge(rs.getString(1), 1, Integer::sum));
            return ids;
        }

        /** For each account id, the transaction ids of the entries it sends or receives, newest first. */
        static Map<String, List<String>> entriesNaming(String url, java.util.Set<String> accountIds) {
            Map<String, List<String>> naming = new HashMap<>();
            accountIds.forEach(id -> naming.put(id, new ArrayList<>()));
            query(url, "SELECT transaction_id, sender_id, receiver_id FROM ledger_entries ORDER BY seq DESC", rs -> {
                for (int column = 2; column <= 3; column++) {
                    List<String> ids = naming.get(rs.getString(column));
                    if (ids != null) {
                        ids.add(rs.getString(1));
                    }
                }
            });
            return naming;
        }

        static List<String> checkpointNotes(String url) {
            List<String> notes = new ArrayList<>();
            query(url, "SELECT note FROM checkpoints ORDER BY tree_size", rs -> notes.add(rs.getString(1)));
            return notes;
        }

        interface Row {
            void read(ResultSet rs) throws SQLException;
        }

        static void query(String url, String sql, Row row) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    row.read(rs);
                }
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException("reading " + url + ": " + e.getMessage(), e));
            }
        }
    }
}

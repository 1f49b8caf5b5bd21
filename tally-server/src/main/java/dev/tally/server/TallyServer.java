package dev.tally.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tally.core.engine.Rules;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.ReadReplica;
import dev.tally.server.audit.Alert;
import dev.tally.server.audit.Alerter;
import dev.tally.server.audit.AuditScheduler;
import dev.tally.server.audit.AuditService;
import dev.tally.server.auth.AdminLog;
import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiKeys;
import dev.tally.server.auth.ApiRole;
import dev.tally.server.auth.IssuedKey;
import dev.tally.server.config.ConfigException;
import dev.tally.server.config.ServerConfig;
import dev.tally.server.config.TrustedProxies;
import dev.tally.server.console.Console;
import dev.tally.server.console.ConsoleRoute;
import dev.tally.server.http.Access;
import dev.tally.server.http.AccountIds;
import dev.tally.server.http.Api;
import dev.tally.server.http.AuditRoutes;
import dev.tally.server.http.Dispatcher;
import dev.tally.server.http.Failures;
import dev.tally.server.http.Inflight;
import dev.tally.server.http.ProofRoutes;
import dev.tally.server.http.ReceiptRoutes;
import dev.tally.server.http.Route;
import dev.tally.server.http.ServerContext;
import dev.tally.server.http.TileRoutes;
import dev.tally.server.metrics.ServerMetrics;
import dev.tally.store.Stores;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tally serve}: the HTTP JSON API over one ledger, on Javalin (Jetty 12) with a virtual thread per
 * request. This process owns the ledger's sequencer.
 *
 * <p>{@link #start} opens the ledger (migrating the store), makes sure an admin key exists (from
 * {@code TALLY_ADMIN_KEY}, or a new one that {@link #bootstrapKey()} returns once), and listens.
 * {@link #stop()} is graceful: it stops admitting requests (503), waits for those in flight (their commands
 * are in the sequencer and their clients are owed an answer), stops Jetty, drains the sequencer and closes
 * the store. An acknowledged (2xx) write is therefore always durable. Thread-safe.
 */
public final class TallyServer implements AutoCloseable {
    /** The name of the admin key created on first start or taken from {@code TALLY_ADMIN_KEY}. */
    public static final String BOOTSTRAP_KEY_NAME = "bootstrap-admin";
    /**
     * How long a live API key found by a lookup is trusted without another (see {@link ApiKeys#cachingFor}):
     * the longest a key revoked by another process keeps working on this server. Revoking through this
     * server's API takes effect at once.
     */
    public static final Duration KEY_CACHE = Duration.ofSeconds(1);
    /** How long a console session lasts without a request, unless {@code TALLY_CONSOLE_IDLE} says otherwise. */
    public static final Duration CONSOLE_IDLE = Duration.ofMinutes(30);

    private static final Logger LOG = LoggerFactory.getLogger(TallyServer.class);
    private final ServerConfig config;
    private final LedgerStore store;
    private final Ledger ledger;
    private final ServerContext context;
    private final List<Route> routes;
    private final Console console;
    private final Javalin app;
    private final Optional<String> bootstrapKey;
    private final Alerter alerter;
    private final AuditService audits;
    private final ReadReplica readReplica;
    private final Optional<AuditScheduler> scheduler;
    private final Optional<CosigningLoop> cosigning;
    /** Voids expired pending transfers once a second (each void is an entry of its own). */
    private final java.util.concurrent.ScheduledExecutorService expiry =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tally-pending-expiry");
                t.setDaemon(true);
                return t;
            });

    private boolean stopped;

    private TallyServer(ServerConfig config, Clock clock) {
        this.config = config;
        LedgerConfig ledgerConfig = LedgerConfig.defaults()
                .withLocation(config.db())
                .withRules(rules(config))
                .withClock(clock);
        // The server keeps the store beside the ledger for what it holds besides the ledger: API keys and the admin
        // log.
        // On the ledger's clock, by which a PostgreSQL store keeps its monthly partitions ahead.
        this.store =
                Stores.open(ledgerConfig.location(), ledgerConfig.storeOptions().withClock(ledgerConfig.clock()));
        this.ledger = Ledger.open(
                store, config.checkpoints().map(ledgerConfig::withCheckpoints).orElse(ledgerConfig));
        // Whatever was started before a failure is stopped again, newest first, so a refused start leaks nothing.
        List<AutoCloseable> started = new java.util.ArrayList<>(List.of(ledger));
        try {
            // Live keys are cached for KEY_CACHE: a key revoked through this server's API is refused at once; one
            // revoked by another process (tally apikey revoke, another server) keeps working here for at most
            // KEY_CACHE.
            ApiKeys keys = ApiKeys.of(store).cachingFor(KEY_CACHE);
            AdminLog adminLog = AdminLog.of(store);
            this.bootstrapKey = bootstrap(keys, adminLog, config.adminKey(), clock.instant());
            ServerMetrics metrics = new ServerMetrics(ledger);
            started.add(metrics);
            this.context = new ServerContext(
                    ledger,
                    config,
                    keys,
                    adminLog,
                    TrustedProxies.of(config.trustedProxies()),
                    metrics,
                    clock,
                    new Inflight(),
                    new AccountIds());
            String where = ledger.describe().replaceAll("password=[^&]*", "password=***");
            this.alerter = new Alerter(config.audit(), where, metrics, Duration.ofMillis(500));
            started.add(alerter);
            ledger.onFraudEvents(events -> fraudEvents(events, metrics, alerter));
            ReadReplica auditReads =
                    config.readReplica().map(r -> ReadReplica.of(ledger, r)).orElseGet(() -> ReadReplica.none(ledger));
            started.add(auditReads);
            auditReads.onUnusable((what, why) ->
                    metrics.replicaUnusable(what == ReadReplica.Unusable.FELL_BACK ? "fallback" : "fail"));
            this.readReplica = auditReads;
            this.audits = new AuditService(ledger, auditReads, config.audit(), alerter, metrics, adminLog, clock);
            this.routes = Api.routes(
                    config.publicMetrics() ? Access.PUBLIC : Access.READ,
                    openApi(),
                    audits::requireVerifiedForMint,
                    concat(
                            concat(AuditRoutes.routes(audits), ProofRoutes.routes()),
                            concat(TileRoutes.routes(config.transparency()), ReceiptRoutes.routes())));
            this.console = new Console(context, consoleIdle(), alerter.sent());
            this.app = javalin(context, routes, console);
            app.start();
            started.add(app::stop);
            this.cosigning = config.transparency().witnesses().isEmpty()
                    ? Optional.empty()
                    : Optional.of(CosigningLoop.start(ledger, config.transparency()));
            cosigning.ifPresent(started::add);
            started.add(expiry::shutdownNow);
            expiry.scheduleWithFixedDelay(this::expirePending, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            this.scheduler = config.audit().enabled()
                    ? Optional.of(new AuditScheduler(audits, config.audit(), clock, ledger, metrics).start())
                    : Optional.empty();
        } catch (RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private void expirePending() {
        try {
            ledger.expirePending(1_000);
        } catch (RuntimeException e) {
            // A halted or frozen ledger refuses the voids; the next sweep tries again.
            LOG.warn("expiring pending transfers failed: {}", e.toString());
        }
    }

    /** Starts the server on the system clock. */
    public static TallyServer start(ServerConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Starts the server; {@code clock} drives entries, the admin log and the audit schedule (tests pass one they control). */
    public static TallyServer start(ServerConfig config, Clock clock) {
        return new TallyServer(config, clock);
    }

    /** The port listened on (the chosen one when the configuration asked for 0). */
    public int port() {
        return app.port();
    }

    /** The admin key created on this first start, when no admin key existed and none was configured; shown once. */
    public Optional<String> bootstrapKey() {
        return bootstrapKey;
    }

    public Ledger ledger() {
        return ledger;
    }

    /** The store under the ledger, for tests that look below the server. */
    LedgerStore store() {
        return store;
    }

    public ServerConfig config() {
        return config;
    }

    /** The route table (for the OpenAPI and auth-matrix checks). */
    public List<Route> routes() {
        return routes;
    }

    /** The console's routes (HTML pages under {@code /console}, outside the API's route table). */
    public List<ConsoleRoute> consoleRoutes() {
        return console.routes();
    }

    /** The audits (verification, reconciliation, the mint gate, failure policy). */
    public AuditService audits() {
        return audits;
    }

    /** The audit schedule, when audits are enabled. */
    public Optional<AuditScheduler> scheduler() {
        return scheduler;
    }

    /** Stops gracefully (see the class comment); idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info(
                "stopping: refusing new requests, waiting for {} in flight",
                context.inflight().active());
        context.inflight().drain();
        scheduler.ifPresent(AuditScheduler::close);
        cosigning.ifPresent(CosigningLoop::close);
        expiry.shutdownNow();
        if (!context.inflight().awaitIdle(config.shutdownTimeout())) {
            LOG.warn(
                    "{} requests still in flight after {}; stopping anyway (their commands still drain below)",
                    context.inflight().active(),
                    config.shutdownTimeout());
        }
        try {
            app.stop();
        } finally {
            try {
                readReplica.close();
                ledger.close();
            } finally {
                alerter.close();
                context.metrics().close();
            }
        }
        LOG.info("stopped; the sequencer drained and the store is closed");
    }

    @Override
    public void close() {
        stop();
    }

    // ---- wiring ---------------------------------------------------------------------------------

    /** Counts each fraud event per rule; a freeze is also an alert through the configured channels. */
    private static void fraudEvents(List<FraudEvent> events, ServerMetrics metrics, Alerter alerter) {
        for (FraudEvent e : events) {
            metrics.fraudEvent(e.rule(), e.action().label());
            if (e.action() == FraudAction.FREEZE) {
                alerter.send(new Alert(
                        Alert.Kind.FRAUD_FREEZE,
                        e.createdAt(),
                        "Account frozen by the fraud shield",
                        "rule " + e.rule() + " froze account " + e.account() + ": " + e.figures(),
                        "account frozen; review it with GET /v1/fraud/events?status=open",
                        Map.of(
                                "rule", e.rule(),
                                "account_id", e.account().toString(),
                                "transaction_ids", String.join(",", e.transactionIds()),
                                "figures", e.figures())));
            }
        }
    }

    private static List<Route> concat(List<Route> a, List<Route> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static Rules rules(ServerConfig config) {
        Rules defaults = Rules.defaults();
        Currencies currencies = defaults.currencies();
        for (Currency c : config.currencies()) {
            currencies = currencies.with(c);
        }
        return defaults.withCurrencies(currencies).withFraudPolicy(config.fraud());
    }

    /**
     * How long a console session lasts without a request: {@code TALLY_CONSOLE_IDLE} (or the system property
     * {@code tally.console.idle}) as an ISO-8601 duration such as {@code PT30M}; 30 minutes when unset.
     */
    static Duration consoleIdle() {
        String text = System.getProperty("tally.console.idle", System.getenv("TALLY_CONSOLE_IDLE"));
        if (text == null || text.isBlank()) {
            return CONSOLE_IDLE;
        }
        try {
            Duration d = Duration.parse(text.strip());
            if (d.isNegative() || d.isZero()) {
                throw new ConfigException("TALLY_CONSOLE_IDLE must be a positive duration such as PT30M");
            }
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException("TALLY_CONSOLE_IDLE must be an ISO-8601 duration such as PT30M, not " + text);
        }
    }

    private static Javalin javalin(ServerContext context, List<Route> routes, Console console) {
        Dispatcher dispatcher = new Dispatcher(context);
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = context.config().limits().maxBodyBytes();
            cfg.http.prefer405over404 = true;
            cfg.jetty.host = context.config().host();
            cfg.jetty.port = context.config().port();
            cfg.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
            });
            for (Route r : routes) {
                cfg.routes.addHttpHandler(HandlerType.findOrCreate(r.method()), r.path(), dispatcher.handler(r));
            }
            for (ConsoleRoute r : console.routes()) {
                cfg.routes.addHttpHandler(HandlerType.findOrCreate(r.method()), r.path(), console.handler(r));
            }
            Failures.install(cfg, context);
        });
    }

    /** The OpenAPI 3.1 document, written by hand in YAML next to this class and served as JSON. */
    static JsonNode openApi() {
        try (InputStream in = TallyServer.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the build");
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes sure an admin can get in: the configured key ({@code TALLY_ADMIN_KEY}) is registered as
     * {@value #BOOTSTRAP_KEY_NAME} (replacing an earlier configured one); without a configured key and
     * without any live admin key, a new one is issued and returned to be shown once.
     */
    static Optional<String> bootstrap(ApiKeys keys, AdminLog log, Optional<String> configured, Instant now) {
        if (configured.isPresent()) {
            String secret = configured.get();
            try {
                ApiKeys.requireUsableSecret(secret);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("TALLY_ADMIN_KEY: " + e.getMessage());
            }
            Optional<ApiKey> existing = keys.authenticate(secret);
            if (existing.isPresent()) {
                if (existing.get().role() != ApiRole.ADMIN) {
                    throw new ConfigException(
                            "TALLY_ADMIN_KEY is the key of " + existing.get().name() + ", which is not an admin key");
                }
                return Optional.empty();
            }
            if (keys.revoke(BOOTSTRAP_KEY_NAME, now)) {
                log.record(
                        now,
                        "tally-serve",
                        "APIKEY_REVOKE",
                        Optional.of(BOOTSTRAP_KEY_NAME),
                        Optional.of("replaced by a new TALLY_ADMIN_KEY"));
            }
            try {
                keys.register(BOOTSTRAP_KEY_NAME, ApiRole.ADMIN, secret, now);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("TALLY_ADMIN_KEY was used before and revoked; choose a new key");
            }
            log.record(
                    now,
                    "tally-serve",
                    "APIKEY_CREATE",
                    Optional.of(BOOTSTRAP_KEY_NAME),
                    Optional.of("role admin, from TALLY_ADMIN_KEY"));
            return Optional.empty();
        }
        if (keys.anyActive(ApiRole.ADMIN)) {
            return Optional.empty();
        }
        IssuedKey issued = keys.issue(BOOTSTRAP_KEY_NAME, ApiRole.ADMIN, now);
        log.record(
                now,
                "tally-serve",
                "APIKEY_CREATE",
                Optional.of(BOOTSTRAP_KEY_NAME),
                Optional.of("role admin, bootstrap on first start"));
        return Optional.of(issued.secret());
    }
}

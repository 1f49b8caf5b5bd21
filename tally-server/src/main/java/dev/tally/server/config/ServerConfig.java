package dev.tally.server.config;

import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.money.Currency;
import dev.tally.ledger.ReplicaConfig;
import dev.tally.ledger.merkle.CheckpointConfig;
import dev.tally.store.Stores;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code tally serve} needs, validated once at start and immutable afterwards. Load it with
 * {@link ConfigLoader} (a YAML file, then environment variables such as {@code TALLY_DB_URL} over it, then
 * command-line flags over both).
 *
 * @param db the store: a SQLite file path or a PostgreSQL URL (see {@link Stores#open(String)})
 * @param port the listen port; 0 picks a free one (tests)
 * @param adminKey the bootstrap admin key ({@code TALLY_ADMIN_KEY}); without one, the first start prints a new key
 * @param trustedProxies addresses or CIDR ranges whose {@code X-Forwarded-For} is believed
 * @param currencies currencies accepted besides EUR
 * @param publicMetrics whether {@code /metrics} answers without a key (for a scraper on a private network)
 * @param shutdownTimeout how long a graceful stop waits for requests in flight
 * @param checkpoints whether and how the ledger signs Merkle checkpoints by itself ({@link CheckpointConfig})
 * @param fraud the fraud shield's limits: an account past them is frozen for fraud and the payment refused
 * @param transparency the C2SP tlog-tiles read API, receipts and witnesses ({@link TransparencyConfig})
 */
public record ServerConfig(
        String db,
        String host,
        int port,
        Optional<String> adminKey,
        List<String> trustedProxies,
        List<Currency> currencies,
        Limits limits,
        boolean publicMetrics,
        Duration shutdownTimeout,
        AuditConfig audit,
        Optional<CheckpointConfig> checkpoints,
        FraudPolicy fraud,
        TransparencyConfig transparency,
        Optional<ReplicaConfig> readReplica) {

    public ServerConfig {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(adminKey, "adminKey");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(checkpoints, "checkpoints");
        Objects.requireNonNull(fraud, "fraud");
        Objects.requireNonNull(transparency, "transparency");
        Objects.requireNonNull(readReplica, "readReplica");
        trustedProxies = List.copyOf(trustedProxies);
        currencies = List.copyOf(currencies);
        if (db.isBlank()) {
            throw new ConfigException("db must name a store");
        }
        if (port < 0 || port > 65_535) {
            throw new ConfigException("port must be between 0 and 65535");
        }
        trustedProxies.forEach(TrustedProxies::requireValid);
    }

    /** The embedded SQLite default on port 8080, default limits and audits. */
    public static ServerConfig defaults() {
        return new ServerConfig(
                Stores.DEFAULT_SQLITE.toString(),
                "0.0.0.0",
                8080,
                Optional.empty(),
                List.of(),
                List.of(),
                Limits.DEFAULTS,
                false,
                Duration.ofSeconds(30),
                AuditConfig.DEFAULTS,
                Optional.empty(),
                FraudPolicy.disabled(),
                TransparencyConfig.DEFAULTS,
                Optional.empty());
    }

    public ServerConfig withDb(String newDb) {
        return new ServerConfig(
                newDb,
                host,
                port,
                adminKey,
                trustedProxies,
                currencies,
                limits,
                publicMetrics,
                shutdownTimeout,
                audit,
                checkpoints,
                fraud,
                transparency,
                readReplica);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(
                db,
                newHost,
                port,
                adminKey,
                trustedProxies,
                currencies,
                limits,
                publicMetrics,
                shutdownTimeout,
                audit,
                checkpoints,
                fraud,
                transparency,
                readReplica);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(
                db,
                host,
                newPort,
                adminKey,
                trustedProxies,
                currencies,
                limits,
                publicMetrics,
                shutdownTimeout,
                audit,
                checkpoints,
                fraud,
                transparency,
                readReplica);
    }

    public ServerConfig withAdminKey(Optional<String> key) {
        return new ServerConfig(
                db,
                host,
                port,
                key,
                trustedProxies,
                currencies,
                limits,
                publicMetrics,
                shutdownTimeout,
                audit,
                checkpoints,
                fraud,
                transparency,
                readReplica);
    }

    public ServerConfig withTrustedProxies(List<String> proxies) {
        return new ServerConfig(
                db,
                host,
                port,
                adminKey,
                proxies,
                currencies,
                limits,
                publicMetrics,
                shutdownTimeout,
                audit,
                checkpoints,
                fraud,
                transparency,
                readReplica);
    }

    public ServerConfig withCurrencies(List<Currency> list) {
        return new ServerConfig(
                db,
                host,
                port,
                adminKey,
                trustedProxies,
                list,
                limits,
                publicMetrics,
                shutdownTimeout,
                audit,
                checkpoints,
                fraud,
                transparency,
                readReplica);
    }

    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(
                db,
                host,
                port,
                adminKey,
                trustedProxies,
                currencies,
                newLimits,
                publicMetrics,
                shutdownTimeout,
                audit,
                checkpoints,
                fraud,
                transparency,
                readReplica);
    }

    public ServerConfig withPublicMetrics(boolean on) {
        return new ServerConfig(
                db,
                host,
                port,
                adminKey,
                trustedProxies,
                currencies,
                limits,
                on,
                shutdownTimeout,
                audit,
                checkpoints,
                fraud,
                transparency,
                readReplica);
    }

    public ServerConfig withShutdownTimeout(Duration timeout) {
        return new ServerConfig(
                db,
                host,
                port,
                adminKey,
                trustedProxies,
                currencies,
                limits,
                publicMetrics,
                timeout,
                audit,
                checkpoints,
                fraud,
                transparency,
                readReplica);
    }

    public ServerConfig withAudit(AuditConfig newAudit) {
        return new ServerConfig(
                db,
                host,
                port,
                adminKey,
                trustedProxies,
                currencies,
                limits,
                publicMetrics,
                shutdownTimeout,
                newAudit,
                checkpoints,
                fraud,
                transparency,
                readReplica);
    }

    public ServerConfig withCheckpoints(Optional<CheckpointConfig> config) {
        return new ServerConfig(
                db,
                host,
                port,
                adminKey,
                trustedProxies,
                currencies,
                limits,
                publicMetrics,
                shutdownTimeout,
                audit,
                config,
                fraud,
                transparency,
                readReplica);
    }

    /** The fraud shield's limits ({@link FraudPolicy#disabled()} by default: limits depend on the economy). */
    public ServerConfig withFraud(FraudPolicy policy) {
        return new ServerConfig(
                db,
                host,
                port,
                adminKey,
                trustedProxies,
                currencies,
                limits,
                publicMetrics,
                shutdownTimeout,
                audit,
                checkpoints,
                policy,
                transparency,
                readReplica);
    }

    /** The admin key is a secret: never print it (logs, exceptions, {@code --help} defaults). */
    public ServerConfig withTransparency(TransparencyConfig config) {
        return new ServerConfig(
                db,
                host,
                port,
                adminKey,
                trustedProxies,
                currencies,
                limits,
                publicMetrics,
                shutdownTimeout,
                audit,
                checkpoints,
                fraud,
                config,
                readReplica);
    }

    /**
     * A configuration without a read replica: every read on {@code db}.
     */
    public ServerConfig(
            String db,
            String host,
            int port,
            Optional<String> adminKey,
            List<String> trustedProxies,
            List<Currency> currencies,
            Limits limits,
            boolean publicMetrics,
            Duration shutdownTimeout,
            AuditConfig audit,
            Optional<CheckpointConfig> checkpoints,
            FraudPolicy fraud,
            TransparencyConfig transparency) {
        this(
                db,
                host,
                port,
                adminKey,
                trustedProxies,
                currencies,
                limits,
                publicMetrics,
                shutdownTimeout,
                audit,
                checkpoints,
                fraud,
                transparency,
                Optional.empty());
    }

    /**
     * The read replica (a PostgreSQL streaming standby of {@code db}) that the scheduled audits and the mint gate
     * read from, with its lag bound and fallback; writes stay on {@code db}.
     */
    public ServerConfig withReadReplica(Optional<ReplicaConfig> replica) {
        return new ServerConfig(
                db,
                host,
                port,
                adminKey,
                trustedProxies,
                currencies,
                limits,
                publicMetrics,
                shutdownTimeout,
                audit,
                checkpoints,
                fraud,
                transparency,
                replica);
    }

    @Override
    public String toString() {
        return "ServerConfig[db="
                + db.replaceAll("password=[^&]*", "password=***").replaceAll("//([^:/@]+):[^@]*@", "//$1:***@")
                + ", host=" + host + ", port=" + port + ", adminKey=" + (adminKey.isPresent() ? "***" : "none")
                + ", trustedProxies=" + trustedProxies + ", currencies=" + currencies + ", limits=" + limits
                + ", publicMetrics=" + publicMetrics + ", shutdownTimeout=" + shutdownTimeout + ", audit=" + audit
                + ", checkpoints=" + checkpoints + ", fraud=" + fraud + ", transparency=" + transparency
                + ", readReplica="
                + readReplica.map(r -> r.location()
                        .replaceAll("password=[^&]*", "password=***")
                        .replaceAll("//([^:/@]+):[^@]*@", "//$1:***@"))
                + "]";
    }
}

package dev.tally.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.money.Currency;
import dev.tally.ledger.ReplicaConfig;
import dev.tally.ledger.merkle.CheckpointConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads a {@link ServerConfig}: defaults, then a YAML file, then environment variables over it. Every
 * setting has a snake_case name in the file ({@code audit.on_failure}) and most have a {@code TALLY_*}
 * variable ({@link #ENV}). Unknown keys are errors, because a misspelt setting that silently keeps its
 * default is the worst kind of configuration bug.
 *
 * <pre>{@code
 * db: postgresql://tally@db/tally
 * port: 8080
 * trusted_proxies: [10.0.0.0/8]
 * currencies: [{code: GOLD, scale: 0}]
 * limits: {max_body_bytes: 1048576, max_batch: 1000, max_page_size: 1000, default_page_size: 50}
 * audit:
 *   schedule: "0 3 * * *"
 *   full_schedule: "0 4 * * 0"
 *   zone: Europe/Berlin
 *   on_failure: freeze        # or alert
 *   webhooks: [{url: "https://hooks.slack.com/services/...", format: slack}]
 *   anchor_key: /etc/tally/anchor.key   # tally keygen; without it every verification is a full one
 * fraud: {max_payments: 600, window: 1m, max_single_minor: 100000000}
 *   # or: fraud: {preset: recommended, rules: {pass_through: {percent: 90, action: reject}}} (docs/FRAUD.md)
 * }</pre>
 */
public final class ConfigLoader {
    /** Environment variable → setting path. A list setting takes a comma-separated value. */
    public static final Map<String, String> ENV = envTable();

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of(
            "db",
            "host",
            "port",
            "admin_key",
            "trusted_proxies",
            "currencies",
            "limits",
            "public_metrics",
            "shutdown_timeout",
            "audit",
            "checkpoints",
            "fraud",
            "transparency",
            "read_replica",
            "replica_max_lag",
            "replica_max_lag_bytes",
            "replica_fallback");
    private static final Set<String> TRANSPARENCY =
            Set.of("prefix", "public_tiles", "public_entries", "receipt_wait", "witnesses", "witness_timeout");
    private static final Set<String> WITNESS = Set.of("name", "url", "key");
    private static final Set<String> FRAUD =
            Set.of("max_payments", "window", "max_single_minor", "preset", "rules", "hold_expiry");
    private static final Set<String> CHECKPOINTS = Set.of("private_key", "witness", "every_entries", "every");
    private static final Set<String> LIMITS =
            Set.of("max_body_bytes", "max_batch", "max_page_size", "default_page_size");
    private static final Set<String> AUDIT = Set.of(
            "enabled",
            "schedule",
            "full_schedule",
            "zone",
            "on_failure",
            "verify_before_mint",
            "slow_verification",
            "slow_verification_entries",
            "conflict_rate_threshold",
            "conflict_min_batches",
            "conflict_window",
            "webhooks",
            "webhook_timeout",
            "webhook_retries",
            "poll_interval",
            "anchor_key",
            "mail");
    private static final Set<String> MAIL =
            Set.of("host", "port", "security", "user", "password_env", "from", "to", "console_url");
    /** The variable that holds the SMTP password unless {@code audit.mail.password_env} names another. */
    public static final String SMTP_PASSWORD_ENV = "TALLY_SMTP_PASSWORD";

    private ConfigLoader() {}

    private static Map<String, String> envTable() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("TALLY_DB_URL", "db");
        m.put("TALLY_HOST", "host");
        m.put("TALLY_PORT", "port");
        m.put("TALLY_ADMIN_KEY", "admin_key");
        m.put("TALLY_TRUSTED_PROXIES", "trusted_proxies");
        m.put("TALLY_PUBLIC_METRICS", "public_metrics");
        m.put("TALLY_SHUTDOWN_TIMEOUT", "shutdown_timeout");
        m.put("TALLY_MAX_BODY_BYTES", "limits.max_body_bytes");
        m.put("TALLY_MAX_BATCH", "limits.max_batch");
        m.put("TALLY_MAX_PAGE_SIZE", "limits.max_page_size");
        m.put("TALLY_AUDIT_ENABLED", "audit.enabled");
        m.put("TALLY_AUDIT_SCHEDULE", "audit.schedule");
        m.put("TALLY_AUDIT_FULL_SCHEDULE", "audit.full_schedule");
        m.put("TALLY_AUDIT_ZONE", "audit.zone");
        m.put("TALLY_AUDIT_ON_FAILURE", "audit.on_failure");
        m.put("TALLY_AUDIT_VERIFY_BEFORE_MINT", "audit.verify_before_mint");
        m.put("TALLY_WEBHOOKS", "audit.webhooks");
        m.put("TALLY_ANCHOR_KEY_FILE", "audit.anchor_key");
        m.put("TALLY_CHECKPOINT_KEY", "checkpoints.private_key");
        m.put("TALLY_CHECKPOINT_WITNESS", "checkpoints.witness");
        m.put("TALLY_READ_DB_URL", "read_replica");
        return Map.copyOf(m);
    }

    /** Defaults, then the file (when given), then the environment. */
    public static ServerConfig load(Optional<Path> file, Map<String, String> env) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        if (file.isPresent()) {
            tree = readFile(file.get());
        }
        applyEnv(tree, env);
        return bind(tree, env);
    }

    /** Defaults with the process environment over them (no file). */
    public static ServerConfig fromEnvironment() {
        return load(Optional.empty(), System.getenv());
    }

    private static ObjectNode readFile(Path file) {
        try {
            JsonNode node = YAML.readTree(Files.readString(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!(node instanceof ObjectNode o)) {
                throw new ConfigException(file + ": the configuration must be a mapping of settings");
            }
            return o;
        } catch (JacksonException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void applyEnv(ObjectNode tree, Map<String, String> env) {
        ENV.forEach((variable, path) -> {
            String value = env.get(variable);
            if (value != null && value.isBlank() && variable.equals("TALLY_ADMIN_KEY")) {
                throw blankAdminKey();
            }
            if (value == null || value.isBlank()) {
                return;
            }
            String[] parts = path.split("\\.");
            ObjectNode parent = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = parent.get(parts[i]);
                parent = child instanceof ObjectNode o ? o : parent.putObject(parts[i]);
            }
            parent.put(parts[parts.length - 1], value.strip());
        });
    }

    static ServerConfig bind(ObjectNode root, Map<String, String> env) {
        requireKnown("", root, TOP);
        ServerConfig d = ServerConfig.defaults();
        ObjectNode limitsNode = object(root, "limits");
        requireKnown("limits.", limitsNode, LIMITS);
        Limits dl = Limits.DEFAULTS;
        Limits limits = new Limits(
                longValue(limitsNode, "limits.max_body_bytes", dl.maxBodyBytes()),
                (int) longValue(limitsNode, "limits.max_batch", dl.maxBatch()),
                (int) longValue(limitsNode, "limits.max_page_size", dl.maxPageSize()),
                (int) longValue(
                        limitsNode,
                        "limits.default_page_size",
                        Math.min(
                                dl.defaultPageSize(),
                                longValue(limitsNode, "limits.max_page_size", dl.maxPageSize()))));
        ObjectNode auditNode = object(root, "audit");
        requireKnown("audit.", auditNode, AUDIT);
        AuditConfig da = AuditConfig.DEFAULTS;
        AuditConfig audit = new AuditConfig(
                bool(auditNode, "audit.enabled", da.enabled()),
                text(auditNode, "audit.schedule").orElse(da.schedule()),
                text(auditNode, "audit.full_schedule").orElse(da.fullSchedule()),
                text(auditNode, "audit.zone").map(z -> zone(z)).orElse(da.zone()),
                text(auditNode, "audit.on_failure").map(ConfigLoader::policy).orElse(da.onFailure()),
                bool(auditNode, "audit.verify_before_mint", da.verifyBeforeMint()),
                duration(auditNode, "audit.slow_verification", da.slowVerification()),
                longValue(auditNode, "audit.slow_verification_entries", da.slowVerificationEntries()),
                doubleValue(auditNode, "audit.conflict_rate_threshold", da.conflictRateThreshold()),
                longValue(auditNode, "audit.conflict_min_batches", da.conflictMinBatches()),
                duration(auditNode, "audit.conflict_window", da.conflictWindow()),
                webhooks(auditNode.get("webhooks")),
                duration(auditNode, "audit.webhook_timeout", da.webhookTimeout()),
                (int) longValue(auditNode, "audit.webhook_retries", da.webhookRetries()),
                duration(auditNode, "audit.poll_interval", da.pollInterval()),
                text(auditNode, "audit.anchor_key").map(Path::of),
                mail(object(auditNode, "mail"), env));
        return new ServerConfig(
                        text(root, "db").orElse(d.db()),
                        text(root, "host").orElse(d.host()),
                        (int) longValue(root, "port", d.port()),
                        adminKey(root),
                        list(root.get("trusted_proxies"), "trusted_proxies", n -> scalar(n, "trusted_proxies")),
                        list(root.get("currencies"), "currencies", ConfigLoader::currency),
                        limits,
                        bool(root, "public_metrics", d.publicMetrics()),
                        duration(root, "shutdown_timeout", d.shutdownTimeout()),
                        audit,
                        checkpoints(object(root, "checkpoints")),
                        fraud(object(root, "fraud")),
                        transparency(object(root, "transparency")))
                .withReadReplica(readReplica(root));
    }

    /** {@code read_replica}, with its lag bound ({@code replica_max_lag} entries, {@code _bytes}) and fallback. */
    private static Optional<ReplicaConfig> readReplica(ObjectNode root) {
        Optional<String> url = text(root, "read_replica").filter(u -> !u.isBlank());
        if (url.isEmpty()) {
            if (root.has("replica_max_lag") || root.has("replica_max_lag_bytes") || root.has("replica_fallback")) {
                throw new ConfigException(
                        "replica_max_lag, replica_max_lag_bytes and replica_fallback need read_replica");
            }
            return Optional.empty();
        }
        long entries = longValue(root, "replica_max_lag", ReplicaConfig.DEFAULT_MAX_LAG_ENTRIES);
        long bytes = longValue(root, "replica_max_lag_bytes", Long.MAX_VALUE);
        if (entries < 0 || bytes < 0) {
            throw new ConfigException("replica_max_lag and replica_max_lag_bytes cannot be negative");
        }
        ReplicaConfig.Fallback fallback =
                switch (text(root, "replica_fallback").orElse("primary").trim().toLowerCase(Locale.ROOT)) {
                    case "primary" -> ReplicaConfig.Fallback.PRIMARY;
                    case "fail" -> ReplicaConfig.Fallback.FAIL;
                    default -> throw new ConfigException("replica_fallback must be 'primary' or 'fail'");
                };
        return Optional.of(new ReplicaConfig(url.get().trim(), entries, bytes, fallback));
    }

    /** The tlog-tiles API, receipts and witnesses; every setting has a default. */
    private static TransparencyConfig transparency(ObjectNode node) {
        requireKnown("transparency.", node, TRANSPARENCY);
        TransparencyConfig d = TransparencyConfig.DEFAULTS;
        return new TransparencyConfig(
                text(node, "transparency.prefix").orElse(d.prefix()),
                bool(node, "transparency.public_tiles", d.publicTiles()),
                bool(node, "transparency.public_entries", d.publicEntries()),
                duration(node, "transparency.receipt_wait", d.receiptWait()),
                list(node.get("witnesses"), "transparency.witnesses", ConfigLoader::witness),
                duration(node, "transparency.witness_timeout", d.witnessTimeout()));
    }

    private static TransparencyConfig.Witness witness(JsonNode n) {
        if (!(n instanceof ObjectNode o)) {
            throw new ConfigException("transparency.witnesses: each witness is an object with name, url and key");
        }
        requireKnown("transparency.witnesses[].", o, WITNESS);
        String name = text(o, "witness.name")
                .orElseThrow(() -> new ConfigException("transparency.witnesses: a witness needs a name"));
        String url = text(o, "witness.url")
                .orElseThrow(() -> new ConfigException("transparency.witnesses: witness " + name + " needs a url"));
        String key = text(o, "witness.key")
                .orElseThrow(() -> new ConfigException("transparency.witnesses: witness " + name + " needs a key"));
        try {
            java.net.URI uri = java.net.URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return new TransparencyConfig.Witness(name, uri, key);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("transparency.witnesses: witness " + name + ": bad url " + url);
        }
    }

    /**
     * The fraud shield: off unless the section is there. An account that sends more than
     * {@code max_payments} payments within {@code window}, or one payment above {@code max_single_minor}
     * minor units, is frozen for fraud; a limit left out does not apply. {@code preset} and {@code rules}
     * configure the other rules ({@link FraudSettings}).
     */
    private static FraudPolicy fraud(ObjectNode node) {
        requireKnown("fraud.", node, FRAUD);
        try {
            return FraudSettings.bind(node);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("fraud: " + e.getMessage(), e);
        }
    }

    /** Signed Merkle checkpoints: on when a private key is named ({@code tally keygen} writes one). */
    private static Optional<CheckpointConfig> checkpoints(ObjectNode node) {
        requireKnown("checkpoints.", node, CHECKPOINTS);
        Optional<String> key = text(node, "checkpoints.private_key");
        if (key.isEmpty()) {
            if (!node.isEmpty()) {
                throw new ConfigException("checkpoints.private_key is required to sign checkpoints (see tally keygen)");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(new CheckpointConfig(
                    Path.of(key.get()),
                    text(node, "checkpoints.witness").map(Path::of),
                    longValue(node, "checkpoints.every_entries", CheckpointConfig.DEFAULT_EVERY_ENTRIES),
                    duration(node, "checkpoints.every", CheckpointConfig.DEFAULT_EVERY)));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("checkpoints: " + e.getMessage(), e);
        }
    }

    /** Parses {@code 30s}, {@code 500ms}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO-8601 {@code PT30S}. */
    public static Duration parseDuration(String setting, String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(s.substring(0, s.length() - 2).strip()));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1).strip());
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new ConfigException(setting + " must be a duration such as 30s, 500ms, 5m or PT30S: " + text);
        }
    }

    static void requireKnown(String prefix, ObjectNode node, Set<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ConfigException("unknown setting " + prefix + name + " (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    static ObjectNode object(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (n instanceof ObjectNode o) {
            return o;
        }
        throw new ConfigException(field + " must be a mapping");
    }

    /**
     * The bootstrap admin key. Set but blank is a mistake (an empty variable in a deployment file, a
     * quoting slip), not "no key": read as absent it would start the server with a new key printed to a log
     * nobody reads, so it stops the start instead.
     */
    private static Optional<String> adminKey(ObjectNode root) {
        JsonNode n = root.get("admin_key");
        if (n != null && !n.isNull() && n.isValueNode() && n.asText().isBlank()) {
            throw blankAdminKey();
        }
        return text(root, "admin_key");
    }

    private static ConfigException blankAdminKey() {
        return new ConfigException("TALLY_ADMIN_KEY (admin_key) is set but empty or only whitespace;"
                + " set a key of 16 or more printable characters, or unset it to have one generated on first start");
    }

    static Optional<String> text(ObjectNode node, String setting) {
        JsonNode n = node.get(setting.substring(setting.lastIndexOf('.') + 1));
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        return Optional.of(scalar(n, setting)).filter(s -> !s.isBlank());
    }

    private static String scalar(JsonNode n, String setting) {
        if (!n.isValueNode()) {
            throw new ConfigException(setting + " must be a single value");
        }
        return n.asText().strip();
    }

    static long longValue(ObjectNode node, String setting, long fallback) {
        Optional<String> t = text(node, setting);
        try {
            return t.isEmpty() ? fallback : Long.parseLong(t.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(setting + " must be a whole number: " + t.get());
        }
    }

    static double doubleValue(ObjectNode node, String setting, double fallback) {
        Optional<String> t = text(node, setting);
        try {
            return t.isEmpty() ? fallback : Double.parseDouble(t.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(setting + " must be a number: " + t.get());
        }
    }

    static boolean bool(ObjectNode node, String setting, boolean fallback) {
        Optional<String> t = text(node, setting);
        if (t.isEmpty()) {
            return fallback;
        }
        return switch (t.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(setting + " must be true or false: " + t.get());
        };
    }

    static Duration duration(ObjectNode node, String setting, Duration fallback) {
        return text(node, setting).map(t -> parseDuration(setting, t)).orElse(fallback);
    }

    private static ZoneId zone(String text) {
        try {
            return ZoneId.of(text);
        } catch (RuntimeException e) {
            throw new ConfigException("audit.zone is not a time zone such as UTC or Europe/Berlin: " + text);
        }
    }

    private static AuditConfig.FailurePolicy policy(String text) {
        for (AuditConfig.FailurePolicy p : AuditConfig.FailurePolicy.values()) {
            if (p.name().equalsIgnoreCase(text)) {
                return p;
            }
        }
        throw new ConfigException("audit.on_failure must be freeze or alert: " + text);
    }

    /** A list from a YAML sequence, or from one comma-separated string (environment variables). */
    private static <T> List<T> list(JsonNode node, String setting, Function<JsonNode, T> item) {
        List<T> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isTextual()) {
            ArrayNode split = JsonNodeFactory.instance.arrayNode();
            for (String part : node.asText().split(",")) {
                if (!part.isBlank()) {
                    split.add(part.strip());
                }
            }
            node = split;
        }
        if (!node.isArray()) {
            throw new ConfigException(setting + " must be a list");
        }
        node.forEach(n -> out.add(item.apply(n)));
        return out;
    }

    private static Currency currency(JsonNode n) {
        if (!(n instanceof ObjectNode o)) {
            throw new ConfigException("currencies: each entry is {code: GOLD, scale: 0}");
        }
        requireKnown("currencies[].", o, Set.of("code", "scale"));
        try {
            return new Currency(text(o, "currencies.code").orElse(""), (int) longValue(o, "currencies.scale", 2));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("currencies: " + e.getMessage());
        }
    }

    /**
     * The e-mail alert channel: off unless the section is there. The password comes from the environment
     * variable {@code password_env} names ({@value #SMTP_PASSWORD_ENV} by default), never from the file.
     */
    private static Optional<MailAlerts> mail(ObjectNode node, Map<String, String> env) {
        requireKnown("audit.mail.", node, MAIL);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        MailAlerts.Security security = text(node, "audit.mail.security")
                .map(MailAlerts.Security::parse)
                .orElse(MailAlerts.Security.STARTTLS);
        int defaultPort = security == MailAlerts.Security.TLS ? 465 : 587;
        String passwordVariable = text(node, "audit.mail.password_env").orElse(SMTP_PASSWORD_ENV);
        return Optional.of(new MailAlerts(
                text(node, "audit.mail.host").orElseThrow(() -> new ConfigException("audit.mail.host is required")),
                (int) longValue(node, "audit.mail.port", defaultPort),
                security,
                text(node, "audit.mail.user"),
                Optional.ofNullable(env.get(passwordVariable)).filter(p -> !p.isEmpty()),
                text(node, "audit.mail.from").orElseThrow(() -> new ConfigException("audit.mail.from is required")),
                list(node.get("to"), "audit.mail.to", n -> scalar(n, "audit.mail.to")),
                text(node, "audit.mail.console_url")));
    }

    /** {@code [{url, format}]} in a file; {@code "https://a,slack:https://b"} in {@code TALLY_WEBHOOKS}. */
    private static List<Webhook> webhooks(JsonNode node) {
        return list(node, "audit.webhooks", n -> {
            String url;
            Webhook.Format format = Webhook.Format.GENERIC;
            if (n instanceof ObjectNode o) {
                requireKnown("audit.webhooks[].", o, Set.of("url", "format"));
                url = text(o, "audit.webhooks.url")
                        .orElseThrow(() -> new ConfigException("audit.webhooks: each entry needs a url"));
                Optional<String> f = text(o, "audit.webhooks.format");
                if (f.isPresent()) {
                    format = Webhook.Format.parse(f.get())
                            .orElseThrow(() -> new ConfigException(
                                    "audit.webhooks.format must be generic, slack or discord: " + f.get()));
                }
            } else {
                url = scalar(n, "audit.webhooks");
                int colon = url.indexOf(':');
                Optional<Webhook.Format> prefixed =
                        colon > 0 ? Webhook.Format.parse(url.substring(0, colon)) : Optional.empty();
                if (prefixed.isPresent()) {
                    format = prefixed.get();
                    url = url.substring(colon + 1);
                }
            }
            try {
                return new Webhook(URI.create(url), format);
            } catch (IllegalArgumentException e) {
                if (e instanceof ConfigException c) {
                    throw c;
                }
                throw new ConfigException(
                        "audit.webhooks: not a URL: " + Webhook.redacted(URI.create("http://invalid")));
            }
        });
    }
}

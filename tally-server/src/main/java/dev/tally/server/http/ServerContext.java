package dev.tally.server.http;

import dev.tally.ledger.Ledger;
import dev.tally.server.auth.AdminLog;
import dev.tally.server.auth.ApiKeys;
import dev.tally.server.config.ServerConfig;
import dev.tally.server.config.TrustedProxies;
import dev.tally.server.metrics.ServerMetrics;
import java.time.Clock;
import java.util.Objects;

/**
 * What every handler shares: the ledger, the configuration, the key store and admin log, the trusted
 * proxies, the metrics, the clock, the in-flight counter of the graceful stop, and the
 * remembered account references. Immutable; the parts are
 * thread-safe.
 */
public record ServerContext(
        Ledger ledger,
        ServerConfig config,
        ApiKeys keys,
        AdminLog adminLog,
        TrustedProxies proxies,
        ServerMetrics metrics,
        Clock clock,
        Inflight inflight,
        AccountIds accountIds) {
    public ServerContext {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(adminLog, "adminLog");
        Objects.requireNonNull(proxies, "proxies");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(inflight, "inflight");
        Objects.requireNonNull(accountIds, "accountIds");
    }
}

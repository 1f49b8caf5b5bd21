package dev.tally.server.metrics;

import dev.tally.ledger.Ledger;
import dev.tally.ledger.sequencer.SequencerStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The server's Prometheus metrics through Micrometer: the sequencer's counters (commands, batches,
 * entries, rejections, OCC conflicts and retries, failures), the OCC conflict rate and the ledger's freeze
 * as gauges, HTTP request timings per route and status, verification durations and results, alerts sent,
 * and the JVM's usual meters. Thread-safe.
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong conflictRatePpm = new AtomicLong();
    private final AtomicLong lastVerificationMillis = new AtomicLong();
    private final AtomicLong lastVerificationEntries = new AtomicLong();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** The request timers already registered, so a request does not build tags and look its timer up again. */
    private final ConcurrentHashMap<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();

    public ServerMetrics(Ledger ledger) {
        SequencerStats stats = ledger.stats();
        counter(
                "tally.sequencer.commands",
                "Commands decided, rejected ones included",
                stats,
                SequencerStats::commands);
        counter("tally.sequencer.batches", "Database transactions committed", stats, SequencerStats::batches);
        counter("tally.sequencer.entries", "Ledger entries committed", stats, SequencerStats::entries);
        counter(
                "tally.sequencer.rejections",
                "Commands refused by the ledger's rules",
                stats,
                SequencerStats::rejections);
        counter(
                "tally.sequencer.conflicts",
                "Commits refused because another writer moved a row first (OCC)",
                stats,
                SequencerStats::conflicts);
        counter("tally.sequencer.retries", "Batches recomputed after an OCC conflict", stats, SequencerStats::retries);
        counter(
                "tally.sequencer.failures",
                "Batches that failed for a reason other than a conflict",
                stats,
                SequencerStats::failures);
        Gauge.builder("tally.occ.conflict.rate", conflictRatePpm, v -> v.get() / 1_000_000.0)
                .description("OCC conflicts per commit attempt over the last monitoring window")
                .register(registry);
        Gauge.builder("tally.sequencer.halted", stats, st -> st.writer().halted() ? 1 : 0)
                .description("1 once the writer has halted; only a restart resumes writing")
                .register(registry);
        Gauge.builder("tally.ledger.frozen", ledger, l -> l.reads().controls().frozen() ? 1 : 0)
                .description("1 while the whole ledger is frozen")
                .register(registry);
        Gauge.builder("tally.verification.last.duration", lastVerificationMillis, v -> v.get() / 1000.0)
                .baseUnit("seconds")
                .description("Duration of the last chain verification")
                .register(registry);
        Gauge.builder("tally.verification.last.entries", lastVerificationEntries, AtomicLong::get)
                .description("Entries checked by the last chain verification")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private void counter(String name, String description, SequencerStats stats, ToDoubleFunction<SequencerStats> f) {
        FunctionCounter.builder(name, stats, f).description(description).register(registry);
    }

    /** Records one HTTP request, tagged with the route template (never the raw path: ids would explode cardinality). */
    public void request(String method, String route, int status, long nanos) {
        requestTimers
                .computeIfAbsent(new RequestKey(method, route, status), k -> requestTimer(k.method, k.route, k.status))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer requestTimer(String method, String route, int status) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests by route and status")
                .tags(Tags.of(
                        "method",
                        method,
                        "route",
                        route,
                        "status",
                        Integer.toString(status),
                        "outcome",
                        status < 400 ? "SUCCESS" : status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR"))
                .register(registry);
    }

    /** What tags a request timer: the route template (bounded by the route table) and the status. */
    private record RequestKey(String method, String route, int status) {}

    /** Records a chain verification: its mode, whether it passed, how long and over how many entries. */
    public void verification(String mode, boolean valid, Duration took, long entries) {
        Timer.builder("tally.verification")
                .description("Chain verifications by mode and result")
                .tags("mode", mode, "valid", Boolean.toString(valid))
                .register(registry)
                .record(took);
        lastVerificationMillis.set(took.toMillis());
        lastVerificationEntries.set(entries);
    }

    /** Sets the OCC conflict-rate gauge (0..1). */
    public void conflictRate(double rate) {
        conflictRatePpm.set(Math.round(rate * 1_000_000));
    }

    /** Counts an alert delivery attempt outcome per kind. */
    public void alert(String kind, boolean delivered) {
        Counter.builder("tally.alerts")
                .description("Alerts by kind and whether a webhook accepted them")
                .tags("kind", kind, "delivered", Boolean.toString(delivered))
                .register(registry)
                .increment();
    }

    /**
     * Counts a read the replica could not serve (down, or lagging beyond its bound), by what was done instead:
     * {@code fallback} (the primary was read) or {@code fail}.
     */
    public void replicaUnusable(String action) {
        Counter.builder("tally.replica.unusable")
                .description("Reads the read replica could not serve, by what was done instead")
                .tags("action", action)
                .register(registry)
                .increment();
    }

    /**
     * Counts a fraud event per rule: every one is a trigger; a refusal also counts as a rejection, a freeze
     * as a freeze.
     */
    public void fraudEvent(String rule, String action) {
        fraudCounter("tally.fraud.triggers", "Fraud rule triggers (events opened) by rule", rule);
        if (action.equals("reject")) {
            fraudCounter("tally.fraud.rejections", "Payments refused by a fraud rule, by rule", rule);
        } else if (action.equals("freeze")) {
            fraudCounter("tally.fraud.freezes", "Accounts frozen by a fraud rule, by rule", rule);
        } else if (action.equals("hold")) {
            fraudCounter("tally.fraud.holds", "Payments held pending review by a fraud rule, by rule", rule);
        }
    }

    private void fraudCounter(String name, String description, String rule) {
        Counter.builder(name)
                .description(description)
                .tags("rule", rule)
                .register(registry)
                .increment();
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}

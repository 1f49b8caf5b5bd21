package dev.tally.server.audit;

import com.cronutils.model.time.ExecutionTime;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.sequencer.SequencerStats;
import dev.tally.server.config.AuditConfig;
import dev.tally.server.metrics.ServerMetrics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the audits on their cron schedules (cron-utils computes the next times, in the configured zone)
 * and watches the OCC conflict rate. Time comes from the injected {@link Clock}: the loop looks at it every
 * {@code poll_interval} and runs what has come due, so a test that advances its clock sees the audit run
 * without waiting for real hours. When the daily and the full run fall due together, the full one runs
 * (it covers the incremental one). A missed time (the process was down) is not caught up: the next one is
 * the first after now, as cron does.
 */
public final class AuditScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditScheduler.class);
    private final AuditService audits;
    private final AuditConfig config;
    private final Clock clock;
    private final Ledger ledger;
    private final ServerMetrics metrics;
    private final ExecutionTime daily;
    private final ExecutionTime full;
    private final ConflictMonitor conflicts;
    private final Thread thread;
    private final Object wakeup = new Object();
    private volatile boolean running = true;
    private Instant nextDaily;
    private Instant nextFull;
    private Instant nextConflictCheck;

    public AuditScheduler(AuditService audits, AuditConfig config, Clock clock, Ledger ledger, ServerMetrics metrics) {
        this.audits = audits;
        this.config = config;
        this.clock = clock;
        this.ledger = ledger;
        this.metrics = metrics;
        this.daily = ExecutionTime.forCron(config.dailyCron());
        this.full = ExecutionTime.forCron(config.fullCron());
        SequencerStats s = ledger.stats();
        this.conflicts = new ConflictMonitor(
                config.conflictRateThreshold(), config.conflictMinBatches(), s.batches(), s.conflicts());
        Instant now = clock.instant();
        this.nextDaily = next(daily, now);
        this.nextFull = next(full, now);
        this.nextConflictCheck = now.plus(config.conflictWindow());
        this.thread =
                Thread.ofPlatform().name("tally-audit-scheduler").daemon(true).unstarted(this::loop);
    }

    /** Starts the loop. */
    public AuditScheduler start() {
        LOG.info(
                "audits scheduled: daily '{}' next at {}, full '{}' next at {} ({})",
                config.schedule(),
                nextDaily,
                config.fullSchedule(),
                nextFull,
                config.zone());
        thread.start();
        return this;
    }

    /** The next daily and full run times, for operators (and tests). */
    public synchronized Map<String, Instant> nextRuns() {
        Map<String, Instant> m = new LinkedHashMap<>();
        m.put("daily", nextDaily);
        m.put("full", nextFull);
        return m;
    }

    private void loop() {
        while (running) {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("the audit scheduler's tick failed; it goes on", e);
            }
            synchronized (wakeup) {
                try {
                    if (running) {
                        wakeup.wait(Math.max(1, config.pollInterval().toMillis()));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Runs whatever has come due by the clock's now. */
    void tick() {
        Instant now = clock.instant();
        boolean fullDue;
        boolean dailyDue;
        synchronized (this) {
            fullDue = !now.isBefore(nextFull);
            dailyDue = !now.isBefore(nextDaily);
            if (fullDue) {
                nextFull = next(full, now);
            }
            if (dailyDue) {
                nextDaily = next(daily, now);
            }
        }
        if (fullDue) {
            audits.runFull();
        } else if (dailyDue) {
            audits.runDaily();
        }
        if (!now.isBefore(nextConflictCheck)) {
            nextConflictCheck = now.plus(config.conflictWindow());
            checkConflicts();
        }
    }

    private void checkConflicts() {
        SequencerStats s = ledger.stats();
        ConflictMonitor.Sample sample = conflicts.sample(s.batches(), s.conflicts());
        sample.rate().ifPresent(metrics::conflictRate);
        if (sample.alert()) {
            double rate = sample.rate().orElseThrow();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("conflict_rate", rate);
            details.put("threshold", config.conflictRateThreshold());
            details.put("commit_attempts", sample.attempts());
            details.put("conflicts", sample.conflicts());
            details.put("window_ms", config.conflictWindow().toMillis());
            audits.alerter()
                    .send(new Alert(
                            Alert.Kind.OCC_CONFLICT_RATE,
                            clock.instant(),
                            "High OCC conflict rate",
                            String.format(
                                    java.util.Locale.ROOT,
                                    "%.1f%% of commit attempts conflicted (%d of %d) in the last %s; over the %.1f%% threshold. "
                                            + "Another process is writing the same ledger.",
                                    rate * 100,
                                    sample.conflicts(),
                                    sample.attempts(),
                                    config.conflictWindow(),
                                    config.conflictRateThreshold() * 100),
                            "alert only",
                            details));
        }
    }

    private Instant next(ExecutionTime schedule, Instant after) {
        ZonedDateTime from = after.atZone(config.zone());
        return schedule.nextExecution(from)
                .map(ZonedDateTime::toInstant)
                .orElseThrow(() -> new IllegalStateException("the cron schedule has no next time after " + from));
    }

    /**
     * Stops the loop. An audit in progress is let finish rather than interrupted: an interrupted audit
     * would look like a failed one and freeze the ledger on every shutdown.
     */
    @Override
    public void close() {
        running = false;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

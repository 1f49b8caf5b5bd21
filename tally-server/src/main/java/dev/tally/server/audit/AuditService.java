package dev.tally.server.audit;

import dev.tally.core.audit.AnchorKey;
import dev.tally.core.audit.ReconciliationReport;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.ReadFrom;
import dev.tally.ledger.ReadReplica;
import dev.tally.ledger.ReadView;
import dev.tally.server.auth.AdminLog;
import dev.tally.server.config.AuditConfig;
import dev.tally.server.metrics.ServerMetrics;
import dev.tally.store.audit.AnchorKeyFile;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's audits (the seed's cron job and "before critical operations"): verifications and
 * reconciliations with metrics and the slow-verification alert, the verify-before-mint gate, and what a
 * failed audit does, scheduled or asked for through the API: alert the webhooks and, by the default policy,
 * freeze the whole ledger (the seed's {@code freezeAllTransactions}) until an admin unfreezes it. Runs are serialised (one at a time),
 * since two at once would only compete for the same rows. Thread-safe.
 */
public final class AuditService {
    /** The actor of automatic freezes in the ledger and the admin log. */
    public static final String ACTOR = "tally-audit";

    private static final Logger LOG = LoggerFactory.getLogger(AuditService.class);
    private final Ledger ledger;
    private final ReadReplica reads;
    private volatile ReadFrom lastReadFrom = ReadFrom.primary();
    private final AuditConfig config;
    private final Alerter alerter;
    private final ServerMetrics metrics;
    private final AdminLog adminLog;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();
    private final Optional<AnchorKey> anchorKey;

    /**
     * @throws IllegalArgumentException when the configured anchor key file is not a key readable by its owner only
     * @throws java.io.UncheckedIOException when it cannot be read
     */
    public AuditService(
            Ledger ledger, AuditConfig config, Alerter alerter, ServerMetrics metrics, AdminLog adminLog, Clock clock) {
        this(ledger, ReadReplica.none(ledger), config, alerter, metrics, adminLog, clock);
    }

    /**
     * Audits that read through {@code reads}: a read replica's when one is configured (the scheduled audits and
     * the mint gate then read the replica, within its lag bound), else the ledger's own store. Runs are recorded on
     * the primary either way.
     *
     * @throws IllegalArgumentException when the configured anchor key file is not a key readable by its owner only
     * @throws java.io.UncheckedIOException when it cannot be read
     */
    public AuditService(
            Ledger ledger,
            ReadReplica reads,
            AuditConfig config,
            Alerter alerter,
            ServerMetrics metrics,
            AdminLog adminLog,
            Clock clock) {
        this.anchorKey = config.anchorKey().map(AnchorKeyFile::load);
        this.reads = reads;
        this.ledger = ledger;
        this.config = config;
        this.alerter = alerter;
        this.metrics = metrics;
        this.adminLog = adminLog;
        this.clock = clock;
    }

    /** Verifies the chain (recorded as a run), with metrics and the slow-verification alert. */
    public VerificationReport verify(VerifyOptions.Mode mode) {
        running.lock();
        try {
            VerifyOptions options = VerifyOptions.full().withMode(mode);
            ReadView view = readSide();
            VerificationReport r = view.audit()
                    .verifyChainIntegrity(anchorKey.map(options::withAnchorKey).orElse(options));
            metrics.verification(
                    mode.name().toLowerCase(Locale.ROOT), r.valid(), r.elapsed(), r.transactionsVerified());
            checkDuration(r);
            return r;
        } finally {
            running.unlock();
        }
    }

    /** Where the audits read now (replica or primary), remembered for {@link #lastReadFrom()}. */
    private ReadView readSide() {
        ReadView view = reads.view();
        lastReadFrom = view.from();
        return view;
    }

    /** Where the latest audit read from: the replica, or the primary (with the reason, after a fallback). */
    public ReadFrom lastReadFrom() {
        return lastReadFrom;
    }

    /**
     * A report with where the latest audit read from ({@code read_from}, {@code replica_lag}, {@code warning})
     * when a read replica is configured; unchanged otherwise.
     */
    public Map<String, Object> withReadFrom(Map<String, Object> report) {
        if (!reads.configured()) {
            return report;
        }
        Map<String, Object> m = new LinkedHashMap<>(report);
        m.putAll(lastReadFrom.toMap());
        return m;
    }

    /** Whether a read replica is configured, so reports say where they read from. */
    public boolean readsReplica() {
        return reads.configured();
    }

    /** Reconciles the stored balances, treasury and supply with the entries (recorded as a run). */
    public ReconciliationReport reconcile() {
        running.lock();
        try {
            return readSide().audit().reconcile();
        } finally {
            running.unlock();
        }
    }

    /**
     * A verification someone asked for ({@code POST /v1/audit/verify}): as {@link #verify}, and when it fails,
     * the same alert and failure policy as a failed scheduled audit. Tampering found by hand is no less
     * tampering, and the operator on call may not be the one who asked.
     */
    public VerificationReport verifyOnRequest(VerifyOptions.Mode mode, String actor) {
        VerificationReport r = verify(mode);
        if (!r.valid()) {
            fail(
                    Alert.Kind.VERIFICATION_FAILED,
                    "Ledger integrity failure",
                    "a verification run by " + actor + " failed: " + r.message(),
                    r.toMap());
        }
        return r;
    }

    /** A reconciliation someone asked for: as {@link #reconcile}, with the failure policy when it fails. */
    public ReconciliationReport reconcileOnRequest(String actor) {
        ReconciliationReport r = reconcile();
        if (!r.valid()) {
            fail(
                    Alert.Kind.RECONCILIATION_FAILED,
                    "Ledger reconciliation failure",
                    "a reconciliation run by " + actor + " failed: " + r.message(),
                    r.toMap());
        }
        return r;
    }

    /**
     * The seed's "before critical operations": before new money is minted, an incremental verification
     * must pass. Without an anchor key it is a full one (a recorded run could be forged), which costs a pass
     * over the whole chain per mint. Refuses with {@code INTEGRITY_UNVERIFIED} (503) when it fails or cannot run.
     */
    public void requireVerifiedForMint() {
        if (!config.verifyBeforeMint()) {
            return;
        }
        VerificationReport r;
        try {
            r = verify(VerifyOptions.Mode.INCREMENTAL);
        } catch (RuntimeException e) {
            LOG.error("the verification before a mint could not run", e);
            throw new RejectedException(
                    Rejection.of(
                            RejectionCode.INTEGRITY_UNVERIFIED,
                            "cannot mint: the chain could not be verified before minting (the verification failed to run); try again or ask the operator"));
        }
        if (!r.valid()) {
            throw new RejectedException(Rejection.of(
                    RejectionCode.INTEGRITY_UNVERIFIED,
                    "cannot mint: the chain failed verification ("
                            + r.firstError()
                                    .map(f -> f.type().name() + ": " + f.message())
                                    .orElse("integrity compromised")
                            + "); no money may be created until an admin has investigated"));
        }
    }

    /** The scheduled daily audit: an incremental verification, then a reconciliation. */
    public void runDaily() {
        runScheduled("daily", true);
    }

    /** The scheduled full verification (weekly by default), then a reconciliation. */
    public void runFull() {
        runScheduled("weekly full", false);
    }

    private void runScheduled(String which, boolean incremental) {
        LOG.info("scheduled {} audit starting", which);
        try {
            VerificationReport v = verify(incremental ? VerifyOptions.Mode.INCREMENTAL : VerifyOptions.Mode.FULL);
            if (!v.valid()) {
                fail(
                        Alert.Kind.VERIFICATION_FAILED,
                        "Ledger integrity failure",
                        "the " + which + " verification failed: " + v.message(),
                        withReadFrom(v.toMap()));
                return;
            }
            ReconciliationReport rc = reconcile();
            if (!rc.valid()) {
                fail(
                        Alert.Kind.RECONCILIATION_FAILED,
                        "Ledger reconciliation failure",
                        "the " + which + " reconciliation failed: " + rc.message(),
                        withReadFrom(rc.toMap()));
                return;
            }
            LOG.info(
                    "scheduled {} audit passed: {}; {}{}",
                    which,
                    v.message(),
                    rc.message(),
                    reads.configured() ? "; " + lastReadFrom.describe() : "");
        } catch (RuntimeException e) {
            // An audit that cannot run proves nothing: treat it as a failure, as the seed's cron job would.
            LOG.error("scheduled {} audit could not run", which, e);
            fail(
                    Alert.Kind.AUDIT_ERROR,
                    "Ledger audit could not run",
                    "the " + which + " audit failed to run: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    Map.of());
        }
    }

    /** Alerts and applies the failure policy (freeze the ledger unless already frozen, or alert only). */
    private void fail(Alert.Kind kind, String title, String message, Map<String, Object> details) {
        String action = "alert only (policy on_failure: alert)";
        if (config.onFailure() == AuditConfig.FailurePolicy.FREEZE) {
            action = freeze(message);
        }
        alerter.send(new Alert(kind, clock.instant(), title, message, action, details));
    }

    private String freeze(String why) {
        try {
            if (ledger.reads().controls().frozen()) {
                return "the ledger was already frozen; it stays frozen";
            }
            String reason = clip("automatic: " + why, 500);
            ledger.setLedgerFrozen(true, Optional.of(reason), ACTOR);
            adminLog.record(clock.instant(), ACTOR, "LEDGER_FREEZE", Optional.empty(), Optional.of(reason));
            return "the whole ledger is frozen until an admin unfreezes it (DELETE /v1/admin/ledger-freeze)";
        } catch (RuntimeException e) {
            LOG.error("could not freeze the ledger after a failed audit", e);
            return "freezing the ledger FAILED (" + e.getClass().getSimpleName() + "); freeze it by hand";
        }
    }

    /** The seed's post-deployment rule: fewer than N transactions must verify within the limit (30 s for 100k). */
    private void checkDuration(VerificationReport r) {
        Duration limit = config.slowVerification();
        if (r.transactionsVerified() < config.slowVerificationEntries()
                && r.elapsed().compareTo(limit) > 0) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mode", r.mode().name().toLowerCase(Locale.ROOT));
            details.put("transactions_verified", r.transactionsVerified());
            details.put("verification_time_ms", r.elapsed().toMillis());
            details.put("limit_ms", limit.toMillis());
            alerter.send(new Alert(
                    Alert.Kind.SLOW_VERIFICATION,
                    clock.instant(),
                    "Slow ledger verification",
                    "verifying " + r.transactionsVerified() + " transactions took "
                            + r.elapsed().toMillis() + " ms, over the " + limit.toMillis()
                            + " ms allowed for fewer than " + config.slowVerificationEntries(),
                    "alert only",
                    details));
        }
    }

    public Alerter alerter() {
        return alerter;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}

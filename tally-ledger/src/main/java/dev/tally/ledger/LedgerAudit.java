package dev.tally.ledger;

import dev.tally.core.audit.ReconciliationReport;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerificationRun;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.engine.Rules;
import dev.tally.core.store.ArchivedMonth;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.archive.ArchiveCheck;
import dev.tally.ledger.archive.ArchiveReport;
import dev.tally.ledger.archive.ArchiveRequest;
import dev.tally.ledger.archive.ArchiveStep;
import dev.tally.ledger.archive.MonthArchiver;
import dev.tally.store.audit.LedgerAuditor;
import dev.tally.store.export.ExportWriter;
import dev.tally.verify.NoteVerifier;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Whether the ledger can be trusted: verification of the hash chain (and, when asked, of signed
 * checkpoints), reconciliation of the stored state with a replay of the entries, and the record of both.
 * Every run is recorded. A run may go on while the ledger writes: it covers the chain as it was when the
 * run began. Thread-safe; obtained from {@link Ledger#audit()}.
 */
public final class LedgerAudit {
    private static final AtomicBoolean VERIFY_BLOCKCHAIN_WARNED = new AtomicBoolean();
    private final LedgerAuditor auditor;
    private final LedgerStore store;
    private final Rules rules;
    private final Clock clock;

    LedgerAudit(LedgerStore store, Rules rules, Clock clock) {
        this(new LedgerAuditor(store, rules, clock), store, rules, clock);
    }

    /** The audit of a replica: entries read from {@code replica}, runs recorded on {@code primary}. */
    static LedgerAudit ofReplica(LedgerStore replica, LedgerStore primary, Rules rules, Clock clock) {
        return new LedgerAudit(new LedgerAuditor(replica, primary, rules, clock), replica, rules, clock);
    }

    private LedgerAudit(LedgerAuditor auditor, LedgerStore store, Rules rules, Clock clock) {
        this.auditor = auditor;
        this.store = store;
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * Exports the ledger as JSON Lines (docs/FORMAT.md): accounts, every entry, checkpoints and the stored
     * state, from one consistent snapshot, for {@code tally audit} to verify offline and {@code tally import} to
     * restore. The file is replaced atomically; {@code done} counts the entries written so far.
     */
    public ExportWriter.Summary export(Path file, AtomicLong done) {
        return new ExportWriter(store, rules, clock).write(file, done);
    }

    /**
     * Archives the closed months before {@code request.before()} (PostgreSQL): each is written to an audited archive
     * file with a signed checkpoint of its boundary, then its partition is dropped. {@code hook} sees each step.
     *
     * @throws dev.tally.ledger.archive.ArchiveException when the store cannot archive or an archive fails its audit
     */
    public ArchiveReport archive(ArchiveRequest request, ArchiveStep.Hook hook) {
        return new MonthArchiver(store, rules, clock).archive(request, hook);
    }

    /** The archived months, oldest first; the newest is the live ledger's boundary. */
    public List<ArchivedMonth> archivedMonths() {
        return store.archives().archived();
    }

    /** Re-checks the archived months' files in {@code dir} against {@code key} and the witness's checkpoints. */
    public List<ArchiveCheck.Result> verifyArchives(
            Path dir, NoteVerifier key, String witnessSource, List<String> witnessNotes) {
        return ArchiveCheck.check(store.archives().archived(), dir, key, witnessSource, witnessNotes);
    }

    /**
     * Verifies every entry of the chain (chain links, hashes, sequence, timestamps, entry arithmetic), on
     * every core; records the run.
     */
    public VerificationReport verifyChainIntegrity() {
        return verifyChainIntegrity(VerifyOptions.full());
    }

    /** Verifies the chain fully or incrementally (see {@link VerifyOptions}); records the run. */
    public VerificationReport verifyChainIntegrity(VerifyOptions options) {
        return auditor.verify(options);
    }

    /**
     * The old name of {@link #verifyChainIntegrity()}.
     *
     * @deprecated use {@link #verifyChainIntegrity()}; this alias logs a warning once per JVM
     */
    @Deprecated
    public VerificationReport verifyBlockchain() {
        if (VERIFY_BLOCKCHAIN_WARNED.compareAndSet(false, true)) {
            LoggerFactory.getLogger(Ledger.class)
                    .warn("[LEDGER] verifyBlockchain() is deprecated. Use verifyChainIntegrity() instead.");
        }
        return verifyChainIntegrity();
    }

    /**
     * Replays every entry and compares the result with the stored balances, treasury totals and supply,
     * which a hash chain alone cannot vouch for; records the run.
     */
    public ReconciliationReport reconcile() {
        return auditor.reconcile(VerifyOptions.full().parallelism(), VerifyOptions.DEFAULT_MAX_FINDINGS);
    }

    /** The newest recorded verification and reconciliation runs first, at most {@code limit}. */
    public List<VerificationRun> history(int limit) {
        return auditor.history(limit);
    }

    /** A recorded run with its full report. */
    public Optional<VerificationRun> run(UUID id) {
        return auditor.run(id);
    }
}

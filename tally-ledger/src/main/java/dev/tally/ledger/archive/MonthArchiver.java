package dev.tally.ledger.archive;

import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.ArchiveStore;
import dev.tally.core.store.ArchivedMonth;
import dev.tally.core.store.BoundaryState;
import dev.tally.core.store.LedgerSnapshot;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.merkle.MerkleLog;
import dev.tally.store.export.ArchiveWriter;
import dev.tally.store.export.ExportAudit;
import dev.tally.verify.Checkpoint;
import dev.tally.verify.NoteVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves closed months out of the live ledger, oldest first, each in three steps: write the month's archive file
 * (the ledger up to the month's last entry, in the export format, with a checkpoint of exactly that size signed
 * now); audit the file on disk against the key and the witness; then, in one transaction, record the month and
 * detach and drop its partition. A crash between any two steps leaves the partition (and at most a file that the
 * next run replaces) or a dropped partition whose archive was already audited: never neither. A re-run resumes
 * from the first month still live.
 *
 * <p>A month is never archived while it is current (by the ledger's clock), nor while it holds a pending transfer
 * that is still open: its post or void must find the pending entry in the live ledger. The run stops at such a
 * month, since months are archived in order.
 */
public final class MonthArchiver {
    private static final int AUDIT_MAX_FINDINGS = 100;
    private final LedgerStore store;
    private final Rules rules;
    private final Clock clock;
    private final ArchiveStore archives;

    public MonthArchiver(LedgerStore store, Rules rules, Clock clock) {
        this.store = store;
        this.rules = rules;
        this.clock = clock;
        this.archives = store.archives();
    }

    /** The archive file's name of a month. */
    public static String fileName(YearMonth month) {
        return "ledger-" + month + ".jsonl";
    }

    /**
     * Archives the closed months before {@code request.before()}.
     *
     * @throws ArchiveException when the store cannot archive, or an archive does not audit
     */
    public ArchiveReport archive(ArchiveRequest request, ArchiveStep.Hook hook) {
        if (!archives.supported()) {
            throw new ArchiveException(
                    ArchiveException.Reason.UNSUPPORTED_STORE,
                    "tally archive needs a PostgreSQL ledger (monthly partitions); " + store.describe()
                            + " is one unpartitioned table");
        }
        YearMonth current = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
        YearMonth limit = request.before().isBefore(current) ? request.before() : current;
        Optional<ArchivedMonth> boundary = archives.boundary();
        List<ArchivedMonth> done = new ArrayList<>();
        Optional<ArchiveReport.Stop> stop = Optional.empty();
        for (ArchiveStore.LiveMonth month : archives.liveMonthsBefore(limit)) {
            long expected = boundary.map(b -> b.lastSeq() + 1).orElse(1L);
            if (month.firstSeq() != expected) {
                throw new ArchiveException(
                        ArchiveException.Reason.GAP,
                        month.partition() + " starts at seq " + month.firstSeq() + ", not at " + expected
                                + ", right after the archived boundary");
            }
            Optional<LedgerEntry> pending =
                    store.openPending(Optional.empty(), 1).stream().findFirst();
            if (pending.isPresent() && pending.get().seq() <= month.lastSeq()) {
                stop = Optional.of(new ArchiveReport.Stop(
                        month.month(),
                        "pending transfer " + pending.get().transactionId() + " (seq "
                                + pending.get().seq() + ") is still open"));
                break;
            }
            ArchivedMonth archived = archiveOne(request, month, boundary, hook);
            done.add(archived);
            boundary = Optional.of(archived);
        }
        return new ArchiveReport(done, boundary, stop);
    }

    private ArchivedMonth archiveOne(
            ArchiveRequest request,
            ArchiveStore.LiveMonth month,
            Optional<ArchivedMonth> boundary,
            ArchiveStep.Hook hook) {
        Optional<Path> previous = boundary.map(b -> checkedPrevious(request.dir(), b));
        BoundaryState opening = boundary.map(ArchivedMonth::state).orElse(BoundaryState.EMPTY);
        long lastSeq = month.lastSeq();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Checkpoint checkpoint = new Checkpoint(request.signer().name(), lastSeq, new MerkleLog(store).root(lastSeq));
        String note = request.signer().sign(checkpoint.body());
        LedgerSnapshot.CheckpointRow signed =
                new LedgerSnapshot.CheckpointRow(lastSeq, checkpoint.rootHash(), note, now);
        Path file = request.dir().resolve(fileName(month.month()));
        ArchiveWriter.Written written;
        try (LedgerSnapshot snapshot = store.snapshot()) {
            written = new ArchiveWriter(rules, clock, store.describe())
                    .write(file, snapshot, previous, opening, month.firstSeq(), lastSeq, signed);
        }
        hook.after(ArchiveStep.EXPORTED, month.month());
        ExportAudit.Result audit =
                audit(file, request.signer().verifier(), request.witnessSource(), request.witnessNotes(), lastSeq);
        if (!audit.valid() || audit.entries() != lastSeq || audit.checkpointsVerified() < 1) {
            throw new ArchiveException(
                    ArchiveException.Reason.AUDIT_FAILED,
                    "the archive " + file + " of " + month.month() + " did not audit valid ("
                            + audit.chain().findingsTotal() + " chain and "
                            + audit.reconciliation().findingsTotal()
                            + " reconciliation findings): the month stays live");
        }
        hook.after(ArchiveStep.AUDITED, month.month());
        ArchivedMonth archived = new ArchivedMonth(
                month.month(),
                month.partition(),
                month.firstSeq(),
                lastSeq,
                written.last().currentHash(),
                ChronoUnit.MICROS.between(Instant.EPOCH, written.last().createdAt()),
                file.getFileName().toString(),
                audit.sha256().orElseThrow(),
                written.bytes(),
                note,
                written.state(),
                now);
        archives.commit(archived);
        hook.after(ArchiveStep.DROPPED, month.month());
        return archived;
    }

    /** Audits an archive file against the key and the witness's checkpoints that its entries cover. */
    static ExportAudit.Result audit(
            Path file, NoteVerifier key, String witnessSource, List<String> witnessNotes, long lastSeq) {
        ExportAudit.Witness witness = witnessNotes.isEmpty()
                ? ExportAudit.Witness.NONE
                : new ExportAudit.Witness(witnessSource, within(key, witnessNotes, lastSeq));
        return new ExportAudit(Runtime.getRuntime().availableProcessors(), AUDIT_MAX_FINDINGS, Clock.systemUTC())
                .audit(file, Optional.of(key), witness, true, new AtomicLong());
    }

    /**
     * The witness's notes of at most {@code size} entries: a later one is checked by the live ledger's verification,
     * not by an archive that ends before it. A note the key does not open stays in, to be reported.
     */
    static List<String> within(NoteVerifier key, List<String> notes, long size) {
        List<String> kept = new ArrayList<>();
        for (String n : notes) {
            long s;
            try {
                s = Checkpoint.parse(key.open(n).text()).size();
            } catch (RuntimeException e) {
                kept.add(n);
                continue;
            }
            if (s <= size) {
                kept.add(n);
            }
        }
        return kept;
    }

    /** The previous archive, whose entries the next one copies: it must still be the file that was audited. */
    private static Path checkedPrevious(Path dir, ArchivedMonth b) {
        Path file = dir.resolve(b.fileName());
        if (!Arrays.equals(sha256(file), b.sha256())) {
            throw new ArchiveException(
                    ArchiveException.Reason.AUDIT_FAILED,
                    file + " is not the archive of " + b.month() + " that was recorded (its SHA-256 differs or it"
                            + " is missing): restore it before archiving later months");
        }
        return file;
    }

    static byte[] sha256(Path file) {
        if (!Files.isRegularFile(file)) {
            return new byte[0];
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // reading is digesting
            }
            return ((DigestInputStream) in).getMessageDigest().digest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

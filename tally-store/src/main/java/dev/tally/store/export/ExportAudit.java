package dev.tally.store.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.audit.ChainFindings;
import dev.tally.core.audit.ChainVerifier;
import dev.tally.core.audit.CheckpointCheck;
import dev.tally.core.audit.CheckpointSummary;
import dev.tally.core.audit.CheckpointVerifier;
import dev.tally.core.audit.Finding;
import dev.tally.core.audit.Link;
import dev.tally.core.audit.RawEntry;
import dev.tally.core.audit.Reconciler;
import dev.tally.core.audit.ReconciliationReport;
import dev.tally.core.audit.StoredRow;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.store.audit.RangeDriver;
import dev.tally.verify.Checkpoint;
import dev.tally.verify.Hashes;
import dev.tally.verify.NoteVerifier;
import dev.tally.verify.SignedNote;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The offline auditor: verifies an export file ({@link ExportFormat}) with no database, by the same core
 * checks the online audit runs.
 * <ul>
 *   <li>Hashes, chain and sequence: every entry through {@link ChainVerifier} (its hash is the SHA-256 of its
 *       canonical encoding, it links to its predecessor, positions run 1, 2, ... without gaps), and the
 *       header's chain head against the newest entry.</li>
 *   <li>Merkle roots: every signed checkpoint's root recomputed from the entries' hashes and its signature
 *       checked with the log's public key ({@link CheckpointVerifier}).</li>
 *   <li>Replay: balances, treasury totals and supply re-added from the entries and compared with the exported
 *       state ({@link Reconciler}).</li>
 * </ul>
 *
 * <p>Design: the main thread reads the file in blocks of whole lines and hands each block to a worker pool;
 * a worker parses its lines (Jackson's streaming parser), hashes and checks its entries with its own
 * {@link ChainVerifier}, starting from the block's predecessor (the last entry of the previous block, which
 * the main thread parses before handing the block out, as the online auditor starts each range from the
 * stored row before it), and replays them into its own {@link Reconciler}. The main thread takes the
 * results back in file order, feeds the Merkle check and the rare other records, and merges. Memory is
 * bounded by the blocks in flight, not by the file. A file that breaks the format (bad JSON outside an
 * entry, records out of order, a bad header) is a {@link MalformedExportException} naming its line; an
 * entry that does not parse is an {@code INVALID_ENTRY} finding, like an unreadable row online.
 */
public final class ExportAudit {
    private static final int BLOCK = 4 << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper(ExportFormat.JSON);
    private static final HexFormat HEX = HexFormat.of();
    private final int threads;
    private final int maxFindings;
    private final Clock clock;

    /** An export that breaks the file format: a line that cannot be read, or records out of order. */
    public static final class MalformedExportException extends RuntimeException {
        MalformedExportException(String message) {
            super(message);
        }
    }

    /** A checkpoint record as exported. */
    public record CheckpointRecord(long treeSize, byte[] rootHash, String note, Instant createdAt) {}

    /**
     * Signed checkpoints kept outside the export (the published witness file), trusted beside the export's own:
     * whoever rewrites an export can strip its checkpoint records, but not the witness.
     *
     * @param source the file's name, for messages
     * @param notes its signed notes, in order
     */
    public record Witness(String source, List<String> notes) {
        /** No witness file. */
        public static final Witness NONE = new Witness("", List.of());

        public Witness {
            Objects.requireNonNull(source, "source");
            notes = List.copyOf(notes);
        }
    }

    /** A balance record as exported. */
    public record BalanceRecord(UUID account, String currency, long amount) {}

    /**
     * What an audit found, and what the file holds besides its entries (for import).
     *
     * @param chain the hash, chain, sequence and checkpoint findings
     * @param reconciliation the replay of balances, treasury totals and supply against the exported state
     * @param checkpointsVerified how many checkpoints' signatures verified; -1 without a public key
     * @param firstEntryLine the line of entry #1, to name lines in messages
     * @param cpu the CPU time the whole process spent during the audit (every thread, the JIT and GC included)
     * @param sha256 the file's SHA-256, when asked for
     */
    public record Result(
            Path file,
            JsonNode header,
            VerificationReport chain,
            ReconciliationReport reconciliation,
            long entries,
            UUID treasury,
            Currencies currencies,
            List<Account> accounts,
            List<CheckpointRecord> checkpoints,
            int checkpointsVerified,
            List<BalanceRecord> balances,
            Map<TreasuryKey, Long> treasuryTotals,
            Map<String, Supply> supply,
            LedgerControls controls,
            long firstEntryLine,
            long bytes,
            Duration elapsed,
            Duration cpu,
            int threadsUsed,
            Optional<byte[]> sha256) {
        /** Whether the chain verified and the state reconciled. */
        public boolean valid() {
            return chain.valid() && reconciliation.valid();
        }

        /** The worker threads the audit ran on. */
        public int threads() {
            return threadsUsed;
        }

        /** The line of the entry at {@code seq} in a well-formed file. */
        public long lineOf(long seq) {
            return firstEntryLine + seq - 1;
        }
    }

    public ExportAudit(int threads, int maxFindings, Clock clock) {
        this.threads = threads;
        this.maxFindings = maxFindings;
        this.clock = clock;
    }

    /**
     * Audits {@code file}. Without a key, signatures cannot be checked: an export holding checkpoints is
     * then refused ({@link IllegalArgumentException}), since its roots would prove nothing.
     *
     * @param progress counts the bytes read
     * @throws MalformedExportException when the file breaks the format
     */
    public Result audit(Path file, Optional<NoteVerifier> key, boolean digest, AtomicLong progress) {
        return audit(file, key, Witness.NONE, digest, progress);
    }

    /**
     * Audits {@code file} against its own checkpoints and the {@code witness}'s. With a key, at least one
     * checkpoint (of either) must verify: an export with none proves nothing against truncation or rewritten
     * history, so it is refused ({@link IllegalArgumentException}).
     */
    public Result audit(Path file, Optional<NoteVerifier> key, Witness witness, boolean digest, AtomicLong progress) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        try (InputStream in = Files.newInputStream(file)) {
            Run run = new Run(file, key, witness, digest ? Optional.of(sha256()) : Optional.empty(), progress);
            run.read(in);
            return run.finish(
                    started,
                    Duration.ofNanos(System.nanoTime() - t0),
                    Duration.ofNanos(Math.max(0, processCpuNanos() - cpu0)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** One audit's state on the main thread. */
    // Filled as the export is read: the header sets what the later records are checked against.
    @SuppressWarnings("NullAway.Init")
    private final class Run {
        final Path file;
        final Optional<NoteVerifier> key;
        final Witness witness;
        final Optional<MessageDigest> digest;
        final AtomicLong progress;
        JsonNode header;
        Currencies currencies;
        UUID treasury;
        long line;
        long firstEntryLine;
        ExportFormat.Kind lastKind = ExportFormat.Kind.HEADER;
        final List<Account> accounts = new ArrayList<>();
        final List<CheckpointRecord> checkpoints = new ArrayList<>();
        final List<BalanceRecord> balances = new ArrayList<>();
        final Map<TreasuryKey, Long> totals = new HashMap<>();
        final Map<String, Supply> supply = new HashMap<>();
        LedgerControls controls = LedgerControls.INITIAL;
        Long endEntries;
        CheckpointVerifier merkle;
        String merkleSource = "";
        boolean merkleStarted;
        final List<ChainVerifier.RangeResult> ranges = new ArrayList<>();
        Reconciler replay;
        long entries;
        long lastSeq;
        Optional<Link> newest = Optional.empty();
        long bytes;
        final ArrayDeque<byte[]> free = new ArrayDeque<>();

        Run(
                Path file,
                Optional<NoteVerifier> key,
                Witness witness,
                Optional<MessageDigest> digest,
                AtomicLong progress) {
            this.file = file;
            this.key = key;
            this.witness = witness;
            this.digest = digest;
            this.progress = progress;
        }

        void read(InputStream in) throws IOException {
            try (RangeDriver<Block> driver = new RangeDriver<>(threads, "tally-audit-export", this::take)) {
                byte[] carry = new byte[0];
                Link predecessor = Link.GENESIS;
                boolean first = true;
                while (true) {
                    byte[] buf = buffer(carry.length * 2);
                    System.arraycopy(carry, 0, buf, 0, carry.length);
                    int n = fill(in, buf, carry.length);
                    boolean eof = n < buf.length;
                    if (digest.isPresent()) {
                        digest.get().update(buf, carry.length, n - carry.length);
                    }
                    bytes += n - carry.length;
                    int end = eof ? n : lastNewline(buf, n) + 1;
                    if (end == 0 && !eof) {
                        carry = java.util.Arrays.copyOf(buf, n); // one line longer than the block: read on
                        continue;
                    }
                    if (eof && n > 0 && buf[n - 1] != '\n') {
                        throw malformedAt(-1, "the file does not end with a newline: it was cut short");
                    }
                    int start = 0;
                    if (first) {
                        start = readHeader(buf, end);
                        first = false;
                    }
                    if (start < end) {
                        Link from = predecessor;
                        int s = start;
                        driver.submit(() -> new Worker(currencies, treasury)
                                .run(buf, s, end, from)
                                .from(buf));
                        predecessor = lastEntryLink(buf, start, end).orElse(predecessor);
                    }
                    carry = java.util.Arrays.copyOfRange(buf, end, n);
                    if (eof) {
                        driver.finish();
                    }
                    progress.set(bytes);
                    if (eof) {
                        break;
                    }
                }
                if (header == null) {
                    throw malformedAt(1, "the file is empty: an export starts with a header record");
                }
            }
        }

        /**
         * A block buffer of at least {@code min} bytes: a recycled one when possible. Blocks are large, so
         * allocating one per block would make every block a garbage-collected humongous object.
         */
        private byte[] buffer(int min) {
            byte[] b = free.poll();
            return b != null && b.length >= min ? b : new byte[Math.max(BLOCK, min)];
        }

        private int readHeader(byte[] buf, int end) {
            int nl = indexOf(buf, 0, end, (byte) '\n');
            if (nl < 0) {
                throw malformedAt(1, "the first line is not a header record");
            }
            line = 1;
            JsonNode h = tree(buf, 0, nl);
            if (!"header".equals(h.path("record").asText())
                    || !ExportFormat.FORMAT.equals(h.path("format").asText())) {
                throw malformedAt(
                        1,
                        "not a Tally export: the first line must be {\"record\":\"header\",\"format\":\"tally-export\",...}");
            }
            if (h.path("version").asInt() != ExportFormat.VERSION) {
                throw malformedAt(
                        1,
                        "export format version " + h.path("version") + " is not supported (this build reads "
                                + ExportFormat.VERSION + ")");
            }
            try {
                List<Currency> list = new ArrayList<>();
                for (JsonNode c : h.path("currencies")) {
                    list.add(new Currency(
                            c.path("code").asText(), c.path("scale").asInt(-1)));
                }
                currencies = Currencies.of(list);
                treasury = UUID.fromString(h.path("treasury_id").asText());
            } catch (RuntimeException e) {
                throw malformedAt(1, "bad header: " + e.getMessage());
            }
            if (!h.path("entries").canConvertToLong() || !h.path("head_hash").isTextual()) {
                throw malformedAt(1, "bad header: \"entries\" and \"head_hash\" are required");
            }
            header = h;
            replay = new Reconciler(treasury, currencies);
            return nl + 1;
        }

        /** The link of the last entry line in {@code [start, end)}, which the next block's entries follow. */
        private Optional<Link> lastEntryLink(byte[] buf, int start, int end) {
            int lineEnd = end - 1;
            while (lineEnd > start) {
                int lineStart = lastIndexOf(buf, start, lineEnd, (byte) '\n') + 1;
                int len = lineEnd - lineStart;
                if (EntryLine.isEntry(buf, lineStart, len)) {
                    EntryLine parser = new EntryLine(currencies);
                    try {
                        return Optional.of(ChainVerifier.linkOf(parser.parse(buf, lineStart, len)));
                    } catch (IllegalArgumentException unreadable) {
                        // The worker reports the line; its successor can only be checked against an unknown hash.
                        return Optional.of(new Link(
                                Math.max(parser.seq(), 0), parser.transactionId(), new byte[0], Long.MIN_VALUE));
                    }
                }
                ExportFormat.Kind kind = kindOf(buf, lineStart, len);
                if (kind != null && kind.ordinal() > ExportFormat.Kind.ENTRY.ordinal()) {
                    return Optional.empty(); // past the entries
                }
                if (kind != null && kind.ordinal() < ExportFormat.Kind.ENTRY.ordinal()) {
                    return Optional.empty(); // before the entries: the predecessor stays genesis
                }
                lineEnd = lineStart - 1;
            }
            return Optional.empty();
        }

        private void take(Block b) {
            free.offer(b.buffer); // the block's results hold no reference into it: reuse it for a later block
            long base = line;
            if (b.formatError != null) {
                throw malformedAt(base + b.formatErrorLine, b.formatError);
            }
            if (b.firstKind != null && b.firstKind.ordinal() < lastKind.ordinal()) {
                throw malformedAt(
                        base + 1, "a " + b.firstKind.wire() + " record after the " + lastKind.wire() + " records");
            }
            if (b.firstEntryLine > 0 && firstEntryLine == 0) {
                firstEntryLine = base + b.firstEntryLine;
            }
            int fed = 0;
            for (RecordLine r : b.records) {
                fed = feed(b, fed, r.entriesBefore);
                record(base + r.line, r.kind, r.node);
            }
            feed(b, fed, b.hashes.size());
            if (b.chain != null) {
                ranges.add(b.chain);
                replay.merge(b.replay);
            }
            if (b.lastKind != null) {
                lastKind = b.lastKind;
            }
            line = base + b.lines;
        }

        private int feed(Block b, int from, int to) {
            if (from < to && !merkleStarted) {
                startMerkle();
            }
            for (int i = from; i < to; i++) {
                long seq = b.hashes.seq(i);
                if (merkle != null) {
                    merkle.accept(seq, b.hashes.hash(i));
                }
                entries++;
                lastSeq = Math.max(lastSeq, seq);
            }
            if (to > 0 && b.chain != null) {
                newest = b.chain.last();
            }
            return to;
        }

        /** Starts the Merkle check once the checkpoints (which precede the entries) are all read. */
        private void startMerkle() {
            merkleStarted = true;
            if (key.isEmpty()) {
                if (!checkpoints.isEmpty()) {
                    throw new IllegalArgumentException("the export holds " + checkpoints.size()
                            + " signed checkpoints: give --public-key to verify them");
                }
                return; // nothing signed, and nothing to check a signature with
            }
            List<String> notes = new ArrayList<>(
                    checkpoints.stream().map(CheckpointRecord::note).toList());
            notes.addAll(witness.notes());
            String source = file.getFileName() + (witness.equals(Witness.NONE) ? "" : " or " + witness.source());
            CheckpointCheck check = new CheckpointCheck(key.get(), notes, source);
            merkleSource = source;
            merkle = new CheckpointVerifier(check);
            if (merkle.verified().isEmpty()) {
                throw new IllegalArgumentException(check.noneVerifies());
            }
        }

        private void record(long at, ExportFormat.Kind kind, JsonNode n) {
            try {
                switch (kind) {
                    case HEADER -> throw malformedAt(at, "a second header record");
                    case CHECKPOINT -> {
                        String note = text(n, "note");
                        Checkpoint c = Checkpoint.parse(SignedNote.parse(note).text());
                        long size = n.path("tree_size").asLong(-1);
                        byte[] root = HEX.parseHex(text(n, "root_hash"));
                        if (c.size() != size || !Hashes.toHex(c.rootHash()).equals(Hashes.toHex(root))) {
                            throw malformedAt(
                                    at, "the checkpoint record's tree_size and root_hash differ from its note");
                        }
                        checkpoints.add(new CheckpointRecord(size, root, note, time(n, "created_at")));
                    }
                    case ACCOUNT ->
                        accounts.add(new Account(
                                UUID.fromString(text(n, "id")),
                                text(n, "username"),
                                text(n, "email"),
                                Role.valueOf(text(n, "role")),
                                n.path("is_frozen_for_fraud").asBoolean(),
                                optional(n, "frozen_reason"),
                                optional(n, "frozen_at")
                                        .map(s -> CanonicalEncoding.fromEpochMicros(ExportFormat.micros(s))),
                                time(n, "created_at"),
                                time(n, "updated_at"),
                                n.path("version").asLong(),
                                dev.tally.core.account.AccountLimits.parse(optional(n, "limits"))));
                    case BALANCE ->
                        balances.add(new BalanceRecord(
                                UUID.fromString(text(n, "account_id")),
                                text(n, "currency"),
                                ExportFormat.minor(text(n, "amount"), scale(text(n, "currency")))));
                    case TREASURY_TOTAL ->
                        totals.put(
                                new TreasuryKey(text(n, "currency"), TaxKind.valueOf(text(n, "tax_kind"))),
                                ExportFormat.minor(text(n, "amount"), scale(text(n, "currency"))));
                    case SUPPLY -> {
                        int scale = scale(text(n, "currency"));
                        supply.put(
                                text(n, "currency"),
                                new Supply(
                                        ExportFormat.minor(text(n, "minted"), scale),
                                        ExportFormat.minor(text(n, "burned"), scale),
                                        0));
                    }
                    case CONTROLS ->
                        controls = new LedgerControls(
                                n.path("is_frozen").asBoolean(),
                                optional(n, "reason"),
                                optional(n, "actor"),
                                optional(n, "changed_at")
                                        .map(s -> CanonicalEncoding.fromEpochMicros(ExportFormat.micros(s))),
                                0);
                    case END -> {
                        if (endEntries != null) {
                            throw malformedAt(at, "a second end record");
                        }
                        endEntries = n.path("entries").asLong(-1);
                    }
                    case ENTRY -> throw new AssertionError("entries are the workers'");
                }
            } catch (MalformedExportException e) {
                throw e;
            } catch (RuntimeException e) {
                throw malformedAt(at, "bad " + kind.wire() + " record: " + e.getMessage());
            }
        }

        private int scale(String currency) {
            return currencies
                    .find(currency)
                    .map(Currency::scale)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "currency " + currency + " is not one of the export's currencies"));
        }

        Result finish(Instant started, Duration elapsed, Duration cpu) {
            if (endEntries == null) {
                throw malformedAt(-1, "the end record is missing: the file was cut short");
            }
            if (!merkleStarted) {
                startMerkle();
            }
            List<Finding> extra = new ArrayList<>(merkle != null ? merkle.finish(lastSeq) : List.of());
            long headSeq = header.path("entries").asLong();
            String headHash = header.path("head_hash").asText();
            extra.addAll(new ChainFindings(currencies).headChecks(headSeq, headHash, lastSeq, newest, 1));
            if (endEntries != entries) {
                throw malformedAt(-1, "the end record counts " + endEntries + " entries but the file holds " + entries);
            }
            VerificationReport chain = VerificationReport.merge(
                            VerifyOptions.Mode.FULL,
                            1,
                            lastSeq,
                            lastSeq,
                            ranges,
                            extra,
                            maxFindings,
                            started,
                            elapsed,
                            Optional.of("Offline audit of " + file.getFileName()))
                    .withCheckpoints(
                            merkle != null ? CheckpointSummary.of(merkle, merkleSource) : CheckpointSummary.NONE);
            Map<UUID, dev.tally.core.account.AccountLimits> limits = new java.util.HashMap<>();
            accounts.stream().filter(a -> !a.limits().isEmpty()).forEach(a -> limits.put(a.id(), a.limits()));
            replay.accountLimits(limits);
            balances.forEach(b -> replay.storedBalance(b.account(), b.currency(), b.amount()));
            ReconciliationReport reconciliation = replay.finish(totals, supply, maxFindings, started, elapsed);
            int verified = merkle != null ? merkle.verified().size() : key.isPresent() ? 0 : -1;
            return new Result(
                    file,
                    header,
                    chain,
                    reconciliation,
                    entries,
                    treasury,
                    currencies,
                    List.copyOf(accounts),
                    List.copyOf(checkpoints),
                    verified,
                    List.copyOf(balances),
                    Map.copyOf(totals),
                    Map.copyOf(supply),
                    controls,
                    firstEntryLine,
                    bytes,
                    elapsed,
                    cpu,
                    threads,
                    digest.map(MessageDigest::digest));
        }

        private MalformedExportException malformedAt(long at, String message) {
            return new MalformedExportException((at > 0 ? "line " + at + ": " : "") + message);
        }
    }

    /** A record other than an entry, as a worker found it. */
    private record RecordLine(int line, ExportFormat.Kind kind, JsonNode node, int entriesBefore) {}

    /** What a worker found in one block of lines. */
    // A worker fills it while reading its lines; nothing reads a field before the worker has set it.
    @SuppressWarnings("NullAway.Init")
    private static final class Block {
        int lines;
        int firstEntryLine;
        ExportFormat.Kind firstKind;
        ExportFormat.Kind lastKind;
        final List<RecordLine> records = new ArrayList<>();
        final Leaves hashes = new Leaves();
        ChainVerifier.RangeResult chain;
        Reconciler replay;
        String formatError;
        int formatErrorLine;
        byte[] buffer;

        Block from(byte[] buf) {
            buffer = buf;
            return this;
        }
    }

    /** Parses, hashes, checks and replays one block; runs on a pool thread. */
    private final class Worker {
        private final Currencies currencies;
        private final UUID treasury;

        Worker(Currencies currencies, UUID treasury) {
            this.currencies = currencies;
            this.treasury = treasury;
        }

        Block run(byte[] buf, int start, int end, Link predecessor) {
            Block b = new Block();
            ChainVerifier chain = new ChainVerifier(currencies, predecessor, maxFindings);
            Reconciler replay = new Reconciler(treasury, currencies);
            EntryLine parser = new EntryLine(currencies);
            FastEntryLine fast = new FastEntryLine(currencies);
            RawEntry raw = new RawEntry();
            int entries = 0;
            int pos = start;
            while (pos < end) {
                b.lines++;
                ExportFormat.Kind kind;
                int lineEnd;
                if (EntryLine.isEntry(buf, pos, end - pos)) {
                    kind = ExportFormat.Kind.ENTRY;
                    if (b.firstEntryLine == 0) {
                        b.firstEntryLine = b.lines;
                    }
                    if (fast.read(buf, pos, end)) {
                        // The fast way: the core's raw check hashes the line's own bytes; only a suspect is read in
                        // full.
                        lineEnd = fast.end();
                        fast.fill(raw);
                        if (chain.tryAccept(raw)) {
                            replay.replay(fast.entry());
                            b.hashes.add(fast.seq(), fast);
                        } else {
                            StoredRow row =
                                    slow(parser, buf, pos, lineEnd, chain.link().seq());
                            for (ChainVerifier.Suspect s : chain.takeSuspects()) {
                                chain.diagnose(s, row);
                            }
                            replay(replay, row, b);
                        }
                    } else {
                        int nl = indexOf(buf, pos, end, (byte) '\n');
                        lineEnd = nl < 0 ? end : nl;
                        StoredRow row =
                                slow(parser, buf, pos, lineEnd, chain.link().seq() + 1);
                        chain.accept(row);
                        replay(replay, row, b);
                    }
                    entries++;
                } else {
                    int nl = indexOf(buf, pos, end, (byte) '\n');
                    lineEnd = nl < 0 ? end : nl;
                    int len = lineEnd - pos;
                    kind = kindOf(buf, pos, len);
                    if (kind == null) {
                        b.formatError = len == 0
                                ? "an empty line"
                                : "not a record: a line is one JSON object whose first field is \"record\"";
                        b.formatErrorLine = b.lines;
                        return b;
                    }
                    JsonNode node;
                    try {
                        node = tree(buf, pos, len);
                    } catch (RuntimeException e) {
                        b.formatError = String.valueOf(e.getMessage());
                        b.formatErrorLine = b.lines;
                        return b;
                    }
                    b.records.add(new RecordLine(b.lines, kind, node, entries));
                }
                if (b.firstKind == null) {
                    b.firstKind = kind;
                } else if (kind.ordinal() < b.lastKind.ordinal()) {
                    b.formatError = "a " + kind.wire() + " record after the " + b.lastKind.wire() + " records";
                    b.formatErrorLine = b.lines;
                    return b;
                }
                b.lastKind = kind;
                pos = lineEnd + 1;
            }
            if (entries > 0) {
                b.chain = chain.result();
                b.replay = replay;
            }
            return b;
        }

        /** The line read in full by {@link EntryLine}: the entry, or why it is none ({@code guess}: its likely seq). */
        private StoredRow slow(EntryLine parser, byte[] buf, int from, int to, long guess) {
            try {
                return new StoredRow.Readable(parser.parse(buf, from, to - from));
            } catch (IllegalArgumentException bad) {
                return new StoredRow.Malformed(
                        parser.seq() > 0 ? parser.seq() : guess,
                        parser.transactionId(),
                        String.valueOf(bad.getMessage()));
            }
        }

        private void replay(Reconciler replay, StoredRow row, Block b) {
            switch (row) {
                case StoredRow.Readable r -> {
                    replay.replay(r.entry());
                    b.hashes.add(r.entry().seq(), r.entry().currentHash().bytes());
                }
                case StoredRow.Malformed m -> {
                    replay.unreadable(m);
                    b.hashes.addUnreadable(m.seq());
                }
            }
        }
    }

    /** The kind of a non-entry line from its first field, or null when it does not start like a record. */
    private static ExportFormat.@Nullable Kind kindOf(byte[] buf, int off, int len) {
        String start = new String(buf, off, Math.min(len, 40), StandardCharsets.UTF_8);
        if (!start.startsWith("{\"record\":\"")) {
            return null;
        }
        int close = start.indexOf('"', 11);
        if (close < 0) {
            return null;
        }
        try {
            return ExportFormat.Kind.of(start.substring(11, close));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static JsonNode tree(byte[] buf, int off, int len) {
        try (var p = ExportFormat.JSON.createParser(buf, off, len)) {
            p.setCodec(MAPPER);
            JsonNode node = p.readValueAsTree();
            if (node == null || !node.isObject() || p.nextToken() != null) {
                throw new IllegalArgumentException("a line is one JSON object and nothing else");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static Optional<String> optional(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(text(n, field));
    }

    private static Instant time(JsonNode n, String field) {
        return CanonicalEncoding.fromEpochMicros(ExportFormat.micros(text(n, field)));
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, int from, int to, byte c) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Reads until {@code buf} is full or the stream ends; returns the bytes now in it. */
    private static int fill(InputStream in, byte[] buf, int from) throws IOException {
        int n = from;
        int r;
        while (n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0) {
            n += r;
        }
        return n;
    }

    private static int lastNewline(byte[] b, int n) {
        return lastIndexOf(b, 0, n, (byte) '\n');
    }

    /** The CPU time of the whole process so far, or 0 where the JVM cannot tell. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** The entries' positions and stored hashes of one block, in order, in two flat arrays. */
    private static final class Leaves {
        private long[] seqs = new long[1024];
        private byte[] hashes = new byte[1024 * 32];
        private boolean[] unreadable = new boolean[1024];
        private int size;

        void add(long seq, FastEntryLine line) {
            grow();
            line.currentHash(hashes, size * 32);
            seqs[size++] = seq;
        }

        void add(long seq, byte[] hash) {
            grow();
            System.arraycopy(hash, 0, hashes, size * 32, 32);
            seqs[size++] = seq;
        }

        void addUnreadable(long seq) {
            grow();
            unreadable[size] = true;
            seqs[size++] = seq;
        }

        private void grow() {
            if (size == seqs.length) {
                seqs = java.util.Arrays.copyOf(seqs, size * 2);
                hashes = java.util.Arrays.copyOf(hashes, size * 64);
                unreadable = java.util.Arrays.copyOf(unreadable, size * 2);
            }
        }

        long seq(int i) {
            return seqs[i];
        }

        /** The stored hash of the i-th entry, or an empty array when its line could not be read. */
        byte[] hash(int i) {
            return unreadable[i] ? new byte[0] : java.util.Arrays.copyOfRange(hashes, i * 32, i * 32 + 32);
        }

        int size() {
            return size;
        }
    }
}

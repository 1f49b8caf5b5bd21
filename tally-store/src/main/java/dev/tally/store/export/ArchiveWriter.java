package dev.tally.store.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.tally.core.engine.BalanceKey;
import dev.tally.core.engine.Rules;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.BoundaryState;
import dev.tally.core.store.LedgerSnapshot;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes the archive file of one closed month: an export file ({@link ExportFormat}, unchanged) of the ledger's
 * prefix up to the month's last entry. Each archive is therefore complete on its own, for {@code tally audit} and
 * {@code tally import}: its entries are those of the archive before it (copied line for line, since the months
 * before are no longer in the database) followed by the month's, read from {@code snapshot}; its balances,
 * treasury totals and supply are the state at the month's end ({@link BoundaryState}: the previous archive's
 * state replayed forward through the month); its checkpoints are those stored of at most the month's size plus
 * {@code boundaryCheckpoint}, signed for exactly that size. Accounts and the ledger controls are as they are now.
 * Written under a temporary name, forced to disk and renamed into place, and the directory forced too.
 */
public final class ArchiveWriter {
    private static final HexFormat HEX = HexFormat.of();
    private final Rules rules;
    private final Clock clock;
    private final String source;

    /**
     * What was written.
     *
     * @param last the month's last entry
     * @param state the state after it
     */
    public record Written(Path file, LedgerEntry last, BoundaryState state, long bytes) {}

    public ArchiveWriter(Rules rules, Clock clock, String source) {
        this.rules = rules;
        this.clock = clock;
        this.source = source;
    }

    /**
     * Writes the archive of entries {@code firstSeq..lastSeq} to {@code file}.
     *
     * @param previous the archive file that ends at {@code firstSeq - 1} (empty when {@code firstSeq} is 1)
     * @param opening the state at {@code firstSeq - 1}
     */
    public Written write(
            Path file,
            LedgerSnapshot snapshot,
            Optional<Path> previous,
            BoundaryState opening,
            long firstSeq,
            long lastSeq,
            LedgerSnapshot.CheckpointRow boundaryCheckpoint) {
        Path absolute = file.toAbsolutePath();
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + ".partial");
        Map<String, Integer> scales = ExportWriter.scales(rules, snapshot.recordedScales());
        LedgerEntry last = entryAt(snapshot, lastSeq);
        List<LedgerSnapshot.CheckpointRow> checkpoints = new ArrayList<>(snapshot.checkpoints(lastSeq));
        checkpoints.removeIf(c -> c.treeSize() == boundaryCheckpoint.treeSize());
        checkpoints.add(boundaryCheckpoint);
        checkpoints.sort(Comparator.comparingLong(LedgerSnapshot.CheckpointRow::treeSize));
        BoundaryState.Builder state = new BoundaryState.Builder(opening, rules.treasuryId());
        try {
            BoundaryState closing =
                    writeTmp(tmp, snapshot, previous, scales, last, checkpoints, state, firstSeq, lastSeq);
            force(tmp);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(Objects.requireNonNull(absolute.getParent(), "parent"));
            return new Written(absolute, last, closing, Files.size(absolute));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the archive " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // Nothing to clean up, or it cannot be: the real error is reported.
            }
        }
    }

    private BoundaryState writeTmp(
            Path tmp,
            LedgerSnapshot snapshot,
            Optional<Path> previous,
            Map<String, Integer> scales,
            LedgerEntry last,
            List<LedgerSnapshot.CheckpointRow> checkpoints,
            BoundaryState.Builder state,
            long firstSeq,
            long lastSeq)
            throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
                JsonGenerator g = ExportFormat.JSON.createGenerator(os)) {
            g.setRootValueSeparator(new SerializedString("\n"));
            header(g, last, scales, snapshot.accountCount(), checkpoints.size());
            for (LedgerSnapshot.CheckpointRow c : checkpoints) {
                g.writeStartObject();
                g.writeStringField("record", ExportFormat.Kind.CHECKPOINT.wire());
                g.writeNumberField("tree_size", c.treeSize());
                g.writeStringField("root_hash", HEX.formatHex(c.rootHash()));
                g.writeStringField("created_at", ExportFormat.time(c.createdAt()));
                g.writeStringField("note", c.note());
                g.writeEndObject();
            }
            snapshot.accounts(a -> write(() -> ExportWriter.account(g, a)));
            if (previous.isPresent()) {
                copyEntries(g, previous.get());
            }
            snapshot.entries(firstSeq, lastSeq, e -> {
                write(() -> ExportWriter.writeEntry(g, e, scales.getOrDefault(e.currency(), 0)));
                state.add(e);
                return true;
            });
            BoundaryState closing = state.build();
            writeState(g, closing, scales);
            ExportWriter.controls(g, snapshot.controls());
            g.writeStartObject();
            g.writeStringField("record", ExportFormat.Kind.END.wire());
            g.writeNumberField("entries", lastSeq);
            g.writeEndObject();
            g.writeRaw('\n');
            g.flush();
            return closing;
        }
    }

    private static LedgerEntry entryAt(LedgerSnapshot snapshot, long seq) {
        AtomicReference<LedgerEntry> found = new AtomicReference<>();
        snapshot.entries(seq, seq, e -> {
            found.set(e);
            return false;
        });
        LedgerEntry e = found.get();
        if (e == null) {
            throw new IllegalStateException("the entry at seq " + seq + " is not in the ledger");
        }
        return e;
    }

    private void header(JsonGenerator g, LedgerEntry last, Map<String, Integer> scales, long accounts, int checkpoints)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("record", ExportFormat.Kind.HEADER.wire());
        g.writeStringField("format", ExportFormat.FORMAT);
        g.writeNumberField("version", ExportFormat.VERSION);
        g.writeStringField("exported_at", ExportFormat.time(clock.instant()));
        g.writeStringField("source", source);
        g.writeStringField("treasury_id", rules.treasuryId().toString());
        g.writeArrayFieldStart("currencies");
        for (Map.Entry<String, Integer> c : scales.entrySet()) {
            g.writeStartObject();
            g.writeStringField("code", c.getKey());
            g.writeNumberField("scale", c.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("entries", last.seq());
        g.writeStringField("head_hash", last.currentHash().hex());
        g.writeNumberField("accounts", accounts);
        g.writeNumberField("checkpoints", checkpoints);
        g.writeEndObject();
    }

    /** The entry lines of the previous archive, verbatim: the audit of the new file checks them again. */
    private static void copyEntries(JsonGenerator g, Path previous) throws IOException {
        String prefix = "{\"record\":\"" + ExportFormat.Kind.ENTRY.wire() + "\"";
        try (BufferedReader r = Files.newBufferedReader(previous, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    g.writeRaw('\n');
                    g.writeRaw(line);
                }
            }
        }
    }

    private static void writeState(JsonGenerator g, BoundaryState s, Map<String, Integer> scales) throws IOException {
        List<Map.Entry<BalanceKey, Long>> balances =
                new ArrayList<>(s.balances().entrySet());
        balances.sort(Map.Entry.comparingByKey(
                Comparator.comparing(BalanceKey::accountId).thenComparing(BalanceKey::currency)));
        for (Map.Entry<BalanceKey, Long> b : balances) {
            g.writeStartObject();
            g.writeStringField("record", ExportFormat.Kind.BALANCE.wire());
            g.writeStringField("account_id", b.getKey().accountId().toString());
            g.writeStringField("currency", b.getKey().currency());
            g.writeStringField(
                    "amount",
                    ExportFormat.amount(
                            b.getValue(), scales.getOrDefault(b.getKey().currency(), 0)));
            g.writeEndObject();
        }
        List<Map.Entry<TreasuryKey, Long>> totals =
                new ArrayList<>(s.treasuryTotals().entrySet());
        totals.sort(Map.Entry.comparingByKey(
                Comparator.comparing(TreasuryKey::currency).thenComparing(TreasuryKey::kind)));
        for (Map.Entry<TreasuryKey, Long> t : totals) {
            g.writeStartObject();
            g.writeStringField("record", ExportFormat.Kind.TREASURY_TOTAL.wire());
            g.writeStringField("currency", t.getKey().currency());
            g.writeStringField("tax_kind", t.getKey().kind().name());
            g.writeStringField(
                    "amount",
                    ExportFormat.amount(
                            t.getValue(), scales.getOrDefault(t.getKey().currency(), 0)));
            g.writeEndObject();
        }
        for (Map.Entry<String, Supply> e : new java.util.TreeMap<>(s.supply()).entrySet()) {
            int scale = scales.getOrDefault(e.getKey(), 0);
            g.writeStartObject();
            g.writeStringField("record", ExportFormat.Kind.SUPPLY.wire());
            g.writeStringField("currency", e.getKey());
            g.writeStringField("minted", ExportFormat.amount(e.getValue().minted(), scale));
            g.writeStringField("burned", ExportFormat.amount(e.getValue().burned(), scale));
            g.writeEndObject();
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** So the rename itself survives a crash (where the file system allows opening a directory). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Not every platform opens directories; the file itself is already forced.
        }
    }

    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    private static void write(Write w) {
        try {
            w.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

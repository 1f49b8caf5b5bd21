package dev.tally.store.export;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tally.core.account.Account;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Rules;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.ledger.EntryField;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.RecordedScale;
import dev.tally.core.store.LedgerSnapshot;
import dev.tally.core.store.LedgerStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a ledger as an export file ({@link ExportFormat}) from one consistent {@link LedgerSnapshot}, streaming:
 * memory does not grow with the ledger. The file is written under a temporary name, forced to disk and
 * renamed into place, so an interrupted export never leaves a file that looks complete.
 */
public final class ExportWriter {
    private static final HexFormat HEX = HexFormat.of();
    private final LedgerStore store;
    private final Rules rules;
    private final Clock clock;
    /** The scale of each currency of the file being written. */
    private Map<String, Integer> scales = Map.of();

    /**
     * What was written.
     *
     * @param entries entries exported (the chain head's seq)
     * @param accounts accounts exported
     * @param checkpoints checkpoints exported
     * @param bytes the file's size
     */
    public record Summary(long entries, long accounts, long checkpoints, long bytes) {}

    public ExportWriter(LedgerStore store, Rules rules, Clock clock) {
        this.store = store;
        this.rules = rules;
        this.clock = clock;
    }

    /** Exports to {@code file}; {@code done} counts the entries as they are written. */
    public Summary write(Path file, AtomicLong done) {
        Path absolute = file.toAbsolutePath();
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + ".partial");
        try (LedgerSnapshot snapshot = store.snapshot()) {
            ChainHead head = snapshot.head();
            scales = scales(snapshot.recordedScales());
            long accounts = snapshot.accountCount();
            List<LedgerSnapshot.CheckpointRow> checkpoints = snapshot.checkpoints(head.seq());
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
                    JsonGenerator g = ExportFormat.JSON.createGenerator(os)) {
                g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
                header(g, head, scales, accounts, checkpoints.size());
                for (LedgerSnapshot.CheckpointRow c : checkpoints) {
                    g.writeStartObject();
                    g.writeStringField("record", ExportFormat.Kind.CHECKPOINT.wire());
                    g.writeNumberField("tree_size", c.treeSize());
                    g.writeStringField("root_hash", HEX.formatHex(c.rootHash()));
                    g.writeStringField("created_at", ExportFormat.time(c.createdAt()));
                    g.writeStringField("note", c.note());
                    g.writeEndObject();
                }
                snapshot.accounts(a -> write(() -> account(g, a)));
                snapshot.entries(1, head.seq(), e -> {
                    write(() -> entry(g, e));
                    done.incrementAndGet();
                    return true;
                });
                snapshot.balances((account, currency, amount) -> write(() -> {
                    g.writeStartObject();
                    g.writeStringField("record", ExportFormat.Kind.BALANCE.wire());
                    g.writeStringField("account_id", account.toString());
                    g.writeStringField("currency", currency);
                    g.writeStringField("amount", ExportFormat.amount(amount, scale(currency)));
                    g.writeEndObject();
                }));
                for (Map.Entry<TreasuryKey, Long> t : snapshot.treasuryTotals().entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("record", ExportFormat.Kind.TREASURY_TOTAL.wire());
                    g.writeStringField("currency", t.getKey().currency());
                    g.writeStringField("tax_kind", t.getKey().kind().name());
                    g.writeStringField(
                            "amount",
                            ExportFormat.amount(t.getValue(), scale(t.getKey().currency())));
                    g.writeEndObject();
                }
                for (Map.Entry<String, Supply> s : snapshot.supplies().entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("record", ExportFormat.Kind.SUPPLY.wire());
                    g.writeStringField("currency", s.getKey());
                    g.writeStringField(
                            "minted", ExportFormat.amount(s.getValue().minted(), scale(s.getKey())));
                    g.writeStringField(
                            "burned", ExportFormat.amount(s.getValue().burned(), scale(s.getKey())));
                    g.writeEndObject();
                }
                controls(g, snapshot.controls());
                g.writeStartObject();
                g.writeStringField("record", ExportFormat.Kind.END.wire());
                g.writeNumberField("entries", head.seq());
                g.writeEndObject();
                g.writeRaw('\n');
                g.flush();
            }
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Summary(head.seq(), accounts, checkpoints.size(), Files.size(absolute));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the export " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // Nothing to clean up, or it cannot be: the real error is reported.
            }
        }
    }

    /**
     * The scale of every currency the file holds: the configured ones, each at the scale its entries were
     * recorded with when it has entries (opening the ledger checked that the two agree), and any currency
     * that has entries but is no longer configured, at its recorded scale, so that its amounts still read.
     */
    private Map<String, Integer> scales(List<RecordedScale> recorded) {
        return scales(rules, recorded);
    }

    static Map<String, Integer> scales(Rules rules, List<RecordedScale> recorded) {
        Map<String, Integer> scales = new java.util.LinkedHashMap<>();
        rules.currencies().all().forEach(c -> scales.put(c.code(), c.scale()));
        recorded.forEach(r -> r.scale().ifPresent(s -> scales.put(r.code(), s)));
        return scales;
    }

    private void header(JsonGenerator g, ChainHead head, Map<String, Integer> scales, long accounts, int checkpoints)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("record", ExportFormat.Kind.HEADER.wire());
        g.writeStringField("format", ExportFormat.FORMAT);
        g.writeNumberField("version", ExportFormat.VERSION);
        g.writeStringField("exported_at", ExportFormat.time(clock.instant()));
        g.writeStringField("source", store.describe());
        g.writeStringField("treasury_id", rules.treasuryId().toString());
        g.writeArrayFieldStart("currencies");
        for (Map.Entry<String, Integer> c : scales.entrySet()) {
            g.writeStartObject();
            g.writeStringField("code", c.getKey());
            g.writeNumberField("scale", c.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("entries", head.seq());
        g.writeStringField("head_hash", head.hash().hex());
        g.writeNumberField("accounts", accounts);
        g.writeNumberField("checkpoints", checkpoints);
        g.writeEndObject();
    }

    static void account(JsonGenerator g, Account a) throws IOException {
        g.writeStartObject();
        g.writeStringField("record", ExportFormat.Kind.ACCOUNT.wire());
        g.writeStringField("id", a.id().toString());
        g.writeStringField("username", a.username());
        g.writeStringField("email", a.email());
        g.writeStringField("role", a.role().name());
        g.writeBooleanField("is_frozen_for_fraud", a.frozenForFraud());
        optional(g, "frozen_reason", a.frozenReason());
        optional(g, "frozen_at", a.frozenAt().map(ExportFormat::time));
        g.writeStringField("created_at", ExportFormat.time(a.createdAt()));
        g.writeStringField("updated_at", ExportFormat.time(a.updatedAt()));
        g.writeNumberField("version", a.version());
        if (!a.limits().isEmpty()) {
            g.writeStringField("limits", a.limits().encode());
        }
        g.writeEndObject();
    }

    private void entry(JsonGenerator g, LedgerEntry e) throws IOException {
        writeEntry(g, e, scale(e.currency()));
    }

    /**
     * One entry record, every column of {@code ledger_entries} in this order (the audit's fast reader expects it);
     * {@code metadata} only when the entry has some.
     */
    static void writeEntry(JsonGenerator g, LedgerEntry e, int scale) throws IOException {
        g.writeStartObject();
        g.writeStringField("record", ExportFormat.Kind.ENTRY.wire());
        for (EntryField f : EntryField.all()) {
            if (f == EntryField.METADATA && e.metadata().isEmpty()) {
                // Left out rather than null: an entry without metadata keeps the line it had before metadata existed.
                continue;
            }
            switch (f.kind()) {
                case INT64 -> g.writeNumberField(f.wire(), e.seq());
                case TIME -> g.writeStringField(f.wire(), ExportFormat.time(e.createdAt()));
                default -> optional(g, f.wire(), f.text(e, scale));
            }
        }
        g.writeEndObject();
    }

    static void controls(JsonGenerator g, LedgerControls c) throws IOException {
        g.writeStartObject();
        g.writeStringField("record", ExportFormat.Kind.CONTROLS.wire());
        g.writeBooleanField("is_frozen", c.frozen());
        optional(g, "reason", c.reason());
        optional(g, "actor", c.actor());
        optional(g, "changed_at", c.changedAt().map(ExportFormat::time));
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get());
        } else {
            g.writeNullField(field);
        }
    }

    /** A currency's scale in the file; a code neither configured nor recorded is written with scale 0. */
    private int scale(String code) {
        return scales.getOrDefault(code, 0);
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

package dev.tally.cli.export;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tally.core.account.Account;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Rules;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currency;
import dev.tally.store.jdbc.JdbcLedgerStore;
import dev.tally.store.jdbc.Snapshot;
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
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a ledger as an export file ({@link ExportFormat}) from one consistent {@link Snapshot}, streaming:
 * memory does not grow with the ledger. The file is written under a temporary name, forced to disk and
 * renamed into place, so an interrupted export never leaves a file that looks complete.
 */
final class ExportWriter {
    private static final HexFormat HEX = HexFormat.of();
    private final JdbcLedgerStore store;
    private final Rules rules;
    private final Clock clock;

    /**
     * What was written.
     *
     * @param entries entries exported (the chain head's seq)
     * @param accounts accounts exported
     * @param checkpoints checkpoints exported
     * @param bytes the file's size
     */
    record Summary(long entries, long accounts, long checkpoints, long bytes) {
    }

    ExportWriter(JdbcLedgerStore store, Rules rules, Clock clock) {
        this.store = store;
        this.rules = rules;
        this.clock = clock;
    }

    /** Exports to {@code file}; {@code done} counts the entries as they are written. */
    Summary write(Path file, AtomicLong done) {
        Path absolute = file.toAbsolutePath();
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + ".partial");
        try (Snapshot snapshot = Snapshot.begin(store)) {
            ChainHead head = snapshot.head();
            long accounts = snapshot.accountCount();
            List<Snapshot.CheckpointRow> checkpoints = snapshot.checkpoints(head.seq());
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
                 JsonGenerator g = ExportFormat.JSON.createGenerator(os)) {
                g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
                header(g, head, accounts, checkpoints.size());
                for (Snapshot.CheckpointRow c : checkpoints) {
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
                    g.writeStringField("amount", ExportFormat.amount(t.getValue(), scale(t.getKey().currency())));
                    g.writeEndObject();
                }
                for (Map.Entry<String, Supply> s : snapshot.supplies().entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("record", ExportFormat.Kind.SUPPLY.wire());
                    g.writeStringField("currency", s.getKey());
                    g.writeStringField("minted", ExportFormat.amount(s.getValue().minted(), scale(s.getKey())));
                    g.writeStringField("burned", ExportFormat.amount(s.getValue().burned(), scale(s.getKey())));
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

    private void header(JsonGenerator g, ChainHead head, long accounts, int checkpoints) throws IOException {
        g.writeStartObject();
        g.writeStringField("record", ExportFormat.Kind.HEADER.wire());
        g.writeStringField("format", ExportFormat.FORMAT);
        g.writeNumberField("version", ExportFormat.VERSION);
        g.writeStringField("exported_at", ExportFormat.time(clock.instant()));
        g.writeStringField("source", store.describe());
        g.writeStringField("treasury_id", rules.treasuryId().toString());
        g.writeArrayFieldStart("currencies");
        for (Currency c : rules.currencies().all()) {
            g.writeStartObject();
            g.writeStringField("code", c.code());
            g.writeNumberField("scale", c.scale());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("entries", head.seq());
        g.writeStringField("head_hash", head.hash().hex());
        g.writeNumberField("accounts", accounts);
        g.writeNumberField("checkpoints", checkpoints);
        g.writeEndObject();
    }

    private static void account(JsonGenerator g, Account a) throws IOException {
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
        g.writeEndObject();
    }

    private void entry(JsonGenerator g, LedgerEntry e) throws IOException {
        writeEntry(g, e, scale(e.currency()));
    }

    /** One entry record, every column of {@code ledger_entries} in this order (the audit's fast reader expects it). */
    static void writeEntry(JsonGenerator g, LedgerEntry e, int scale) throws IOException {
        g.writeStartObject();
        g.writeStringField("record", ExportFormat.Kind.ENTRY.wire());
        g.writeNumberField("seq", e.seq());
        g.writeStringField("transaction_id", e.transactionId());
        g.writeStringField("type", e.type().name());
        g.writeStringField("status", e.status().name());
        optional(g, "sender_id", e.senderId().map(UUID::toString));
        optional(g, "receiver_id", e.receiverId().map(UUID::toString));
        g.writeStringField("currency", e.currency());
        g.writeStringField("amount_gross", ExportFormat.amount(e.amountGross(), scale));
        g.writeStringField("tax_withheld", ExportFormat.amount(e.taxWithheld(), scale));
        g.writeStringField("amount_net", ExportFormat.amount(e.amountNet(), scale));
        g.writeStringField("tax_kind", e.taxKind().name());
        g.writeStringField("created_at", ExportFormat.time(e.createdAt()));
        optional(g, "actor", e.actor());
        optional(g, "ip_address", e.ipAddress());
        optional(g, "user_agent", e.userAgent());
        optional(g, "reverses_transaction_id", e.reverses());
        g.writeStringField("previous_hash", e.previousHash().hex());
        g.writeStringField("current_hash", e.currentHash().hex());
        g.writeEndObject();
    }

    private static void controls(JsonGenerator g, LedgerControls c) throws IOException {
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

    /** A currency's scale; a code found in the data but no longer configured is written with scale 0. */
    private int scale(String code) {
        return rules.currencies().find(code).map(Currency::scale).orElse(0);
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

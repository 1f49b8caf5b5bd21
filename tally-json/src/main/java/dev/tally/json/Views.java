package dev.tally.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.tally.core.account.Account;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.ledger.EntryField;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.ledger.SupplyReport;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * The JSON shapes of Tally's objects, in one place so that the CLI's {@code --json} and the HTTP API
 * answer alike. Field names are the seed's snake_case ({@code transaction_id}, {@code amount_gross},
 * {@code is_frozen_for_fraud}); amounts are decimal strings with the currency's scale ({@code "12.50"}),
 * never JSON numbers, so no client parses money as floating point; times are ISO-8601 UTC; hashes are
 * lower-case hex; an absent optional value is {@code null}. Stateless and thread-safe.
 */
public final class Views {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /**
     * Jackson's default buffer pool is per thread, and every request runs on a new virtual thread, so each
     * answer would allocate fresh buffers: the HTTP answers share one pool of at most 256 instead.
     */
    private static final ObjectMapper COMPACT = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(256))
            .build());

    private Views() {}

    /** A new empty object, for composing answers from these shapes. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A new empty array. */
    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Pretty-printed JSON text. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** JSON on one line as UTF-8 bytes, as the HTTP API answers (no intermediate String). */
    public static byte[] compactBytes(JsonNode node) {
        try {
            return COMPACT.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** JSON text on one line, as the HTTP API answers. */
    public static String compact(JsonNode node) {
        try {
            return COMPACT.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** Parses JSON text into a tree (for clients and tests of these shapes). */
    public static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * An account: {@code id, username, email, role, is_frozen_for_fraud, frozen_reason, frozen_at,
     * created_at, updated_at, version, balances} where balances maps currency code to decimal string.
     */
    public static ObjectNode account(Account a, Map<String, Money> balances) {
        ObjectNode o = object();
        o.put("id", a.id().toString());
        o.put("username", a.username());
        o.put("email", a.email());
        o.put("role", a.role().name());
        o.put("is_frozen_for_fraud", a.frozenForFraud());
        putOptional(o, "frozen_reason", a.frozenReason());
        putOptional(o, "frozen_at", a.frozenAt().map(Instant::toString));
        o.put("created_at", a.createdAt().toString());
        o.put("updated_at", a.updatedAt().toString());
        o.put("version", a.version());
        o.set("balances", balances(balances));
        return o;
    }

    /**
     * Adds an account's limits, when it has any, as {@code limits: {CODE: {credit_limit, max_balance}}}:
     * decimal strings in the currency's scale, {@code max_balance} null for no cap. An account without
     * limits is shown as before, without the field.
     */
    public static ObjectNode withLimits(
            ObjectNode account, dev.tally.core.account.AccountLimits limits, Function<String, Currency> currencies) {
        if (limits.isEmpty()) {
            return account;
        }
        ObjectNode o = account.putObject("limits");
        limits.byCurrency().forEach((code, limit) -> {
            int scale = currencies.apply(code).scale();
            ObjectNode l = o.putObject(code);
            l.put("credit_limit", Money.format(limit.creditLimit(), scale));
            if (limit.maxBalance().isPresent()) {
                l.put("max_balance", Money.format(limit.maxBalance().get(), scale));
            } else {
                l.putNull("max_balance");
            }
        });
        return account;
    }

    /** Balances by currency code, as decimal strings, in code order. */
    public static ObjectNode balances(Map<String, Money> balances) {
        ObjectNode o = object();
        new TreeMap<>(balances).forEach((code, money) -> o.put(code, money.toDecimalString()));
        return o;
    }

    /**
     * A ledger entry, with the seed's names ({@link EntryField#wire()}): {@code transaction_id}, then the
     * others in canonical order, {@code seq, type, status, sender_id, receiver_id, currency, amount_gross,
     * tax_withheld, amount_net, tax_kind, created_at, actor, ip_address, user_agent, reverses_transaction_id,
     * previous_hash, metadata, current_hash}; {@code metadata} is an object of strings ({@code {}} when none).
     *
     * @param currency the entry's currency, for its scale
     */
    public static ObjectNode entry(LedgerEntry e, Currency currency) {
        // Built from the streamed form, so that the two can never differ.
        return (ObjectNode) tree(g -> writeEntry(g, e, currency));
    }

    /** The tree of what {@code writer} writes: one form, streamed where it is large and a tree where it is needed. */
    public static JsonNode tree(Writer writer) {
        try (TokenBuffer buffer = new TokenBuffer(COMPACT, false)) {
            writer.write(buffer);
            return COMPACT.readTree(buffer.asParser(COMPACT));
        } catch (IOException impossible) {
            throw new java.io.UncheckedIOException("building a JSON tree in memory failed", impossible);
        }
    }

    /** The fields of an entry's view: the transaction id first, since that is what clients look up by. */
    private static final List<EntryField> ENTRY_VIEW_ORDER = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(EntryField.TRANSACTION_ID),
                    EntryField.all().stream().filter(f -> f != EntryField.TRANSACTION_ID))
            .toList();

    /**
     * Writes an entry (the fields of {@link #entry}, in that order) straight to a generator, for answers
     * that carry many entries: no tree is built and walked again.
     */
    public static void writeEntry(JsonGenerator g, LedgerEntry e, Currency currency) throws IOException {
        if (!currency.code().equals(e.currency())) {
            throw new IllegalArgumentException(
                    "entry " + e.transactionId() + " is in " + e.currency() + ", not " + currency.code());
        }
        int scale = currency.scale();
        g.writeStartObject();
        for (EntryField f : ENTRY_VIEW_ORDER) {
            switch (f.kind()) {
                case INT64 -> g.writeNumberField(f.wire(), e.seq());
                case TIME -> g.writeStringField(f.wire(), e.createdAt().toString());
                default -> {
                    if (f == EntryField.METADATA) {
                        writeMetadata(g, e);
                    } else {
                        writeOptional(g, f.wire(), f.text(e, scale));
                    }
                }
            }
        }
        g.writeEndObject();
    }

    /** The metadata as a JSON object of strings, keys in ascending order; {@code {}} when there is none. */
    private static void writeMetadata(JsonGenerator g, LedgerEntry e) throws IOException {
        g.writeObjectFieldStart(EntryField.METADATA.wire());
        for (var pair : e.metadata().values().entrySet()) {
            g.writeStringField(pair.getKey(), pair.getValue());
        }
        g.writeEndObject();
    }

    private static void writeOptional(JsonGenerator g, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get());
        } else {
            g.writeNullField(field);
        }
    }

    /** What writes one JSON value to a generator. */
    @FunctionalInterface
    public interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    /** A value written by {@code writer}, on one line as UTF-8 bytes, as {@link #compactBytes(JsonNode)} would give it. */
    public static byte[] compactBytes(Writer writer) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1024);
        try (JsonGenerator g = COMPACT.getFactory().createGenerator(out)) {
            g.setCodec(COMPACT);
            writer.write(g);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    /** Entries as an array, each with its currency's scale. */
    public static ArrayNode entries(Collection<LedgerEntry> entries, Function<String, Currency> currencies) {
        ArrayNode a = array();
        entries.forEach(e -> a.add(entry(e, currencies.apply(e.currency()))));
        return a;
    }

    /**
     * The supply report: {@code {"currencies":[{"currency","minted","burned","circulating","conserved"}]}},
     * amounts as decimal strings, {@code conserved} true when circulating = minted − burned.
     */
    public static ObjectNode supply(List<SupplyReport> reports) {
        ArrayNode currencies = array();
        for (SupplyReport r : reports) {
            ObjectNode c = object();
            c.put("currency", r.currency().code());
            c.put("minted", r.mintedText());
            c.put("burned", r.burnedText());
            c.put("circulating", r.circulatingText());
            c.put("conserved", r.conserved());
            currencies.add(c);
        }
        ObjectNode o = object();
        o.set("currencies", currencies);
        return o;
    }

    /**
     * The treasury: its account id, its balances, and its running tax totals as
     * {@code tax_totals: {currency: {TRANSFER_TAX, VAT, INCOME_TAX}}} (every kind present, zero when none).
     */
    public static ObjectNode treasury(
            UUID treasuryId,
            Map<String, Money> balances,
            Map<TreasuryKey, Long> totals,
            Function<String, Currency> currencies) {
        TreeSet<String> codes = new TreeSet<>(balances.keySet());
        totals.keySet().forEach(k -> codes.add(k.currency()));
        ObjectNode byCurrency = object();
        for (String code : codes) {
            int scale = currencies.apply(code).scale();
            ObjectNode kinds = object();
            for (TaxKind kind : TaxKind.values()) {
                long total = totals.getOrDefault(new TreasuryKey(code, kind), 0L);
                // Exchange fees are shown once a currency has any, so that a ledger without exchanges reads as before.
                if (kind != TaxKind.NONE && (kind != TaxKind.EXCHANGE_FEE || total != 0)) {
                    kinds.put(kind.name(), Money.format(total, scale));
                }
            }
            byCurrency.set(code, kinds);
        }
        ObjectNode o = object();
        o.put("id", treasuryId.toString());
        o.set("balances", balances(balances));
        o.set("tax_totals", byCurrency);
        return o;
    }

    /** The ledger-wide controls: {@code frozen, reason, actor, changed_at, version}. */
    public static ObjectNode controls(LedgerControls c) {
        ObjectNode o = object();
        o.put("frozen", c.frozen());
        putOptional(o, "reason", c.reason());
        putOptional(o, "actor", c.actor());
        putOptional(o, "changed_at", c.changedAt().map(Instant::toString));
        o.put("version", c.version());
        return o;
    }

    /** Puts {@code value} under {@code field}, or JSON {@code null} when it is absent. */
    public static void putOptional(ObjectNode o, String field, Optional<String> value) {
        if (value.isPresent()) {
            o.put(field, value.get());
        } else {
            o.putNull(field);
        }
    }
}

package dev.tally.core.ledger;

import dev.tally.core.money.Money;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The fields of an entry, once: in the order of the canonical encoding (docs/FORMAT.md §1), which is also
 * the column order of {@code ledger_entries} and the field order of an export's {@code entry} record. Each
 * field has one name, its {@link #wire()} name, used as the column name, the export's field name and the
 * HTTP JSON name alike. The row mapping, the scanners, the export reader and writer and the JSON views all
 * derive their lists from here, so that a field cannot be spelt two ways.
 */
public enum EntryField {
    SEQ(Kind.INT64, false),
    TRANSACTION_ID(Kind.TEXT, false),
    TYPE(Kind.TEXT, false),
    STATUS(Kind.TEXT, false),
    SENDER_ID(Kind.UUID, true),
    RECEIVER_ID(Kind.UUID, true),
    CURRENCY(Kind.TEXT, false),
    AMOUNT_GROSS(Kind.AMOUNT, false),
    TAX_WITHHELD(Kind.AMOUNT, false),
    AMOUNT_NET(Kind.AMOUNT, false),
    TAX_KIND(Kind.TEXT, false),
    CREATED_AT(Kind.TIME, false),
    ACTOR(Kind.TEXT, true),
    IP_ADDRESS(Kind.TEXT, true),
    USER_AGENT(Kind.TEXT, true),
    REVERSES_TRANSACTION_ID(Kind.TEXT, true),
    PREVIOUS_HASH(Kind.HASH, false),
    /** The canonical text of the entry's metadata ({@link Metadata#canonical()}); absent when it has none. */
    METADATA(Kind.TEXT, true),
    CURRENT_HASH(Kind.HASH, false);

    /** What a field holds, which decides how each representation stores it. */
    public enum Kind {
        /** A signed 64-bit integer. */
        INT64,
        /** A UTF-8 string (an enum constant's name for type, status and tax kind). */
        TEXT,
        /** An account id. */
        UUID,
        /** A count of the currency's minor units (a 64-bit integer in rows, a decimal string in text forms). */
        AMOUNT,
        /** An instant, stored as microseconds since the epoch. */
        TIME,
        /** A 32-byte SHA-256 hash. */
        HASH
    }

    private static final List<EntryField> ALL = List.of(values());

    private final Kind kind;
    private final boolean optional;
    private final String wire;

    EntryField(Kind kind, boolean optional) {
        this.kind = kind;
        this.optional = optional;
        this.wire = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The field's one name: the column of {@code ledger_entries}, the export's and the JSON's field name. */
    public String wire() {
        return wire;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the field may be absent (SQL NULL, JSON null). */
    public boolean optional() {
        return optional;
    }

    /** The 1-based position of the field in a row of {@link #columnList()}. */
    public int column() {
        return ordinal() + 1;
    }

    /** Every field, in canonical order. */
    public static List<EntryField> all() {
        return ALL;
    }

    /** How many fields an entry has. */
    public static int count() {
        return ALL.size();
    }

    /** The column names in canonical order, comma separated, for SELECT and INSERT lists. */
    public static String columnList() {
        return ALL.stream().map(EntryField::wire).collect(Collectors.joining(", "));
    }

    /** The field of a wire name. */
    public static Optional<EntryField> ofWire(String wire) {
        return Arrays.stream(values()).filter(f -> f.wire.equals(wire)).findFirst();
    }

    /**
     * The field's value in {@code e} in its stored form: a {@code Long} (integers, amounts, microseconds), a
     * {@code String} (texts, enum names), a {@code java.util.UUID}, a {@code byte[]} (hashes); empty when an
     * optional field is absent.
     */
    public Optional<Object> stored(LedgerEntry e) {
        return switch (this) {
            case SEQ -> Optional.of(e.seq());
            case TRANSACTION_ID -> Optional.of(e.transactionId());
            case TYPE -> Optional.of(e.type().name());
            case STATUS -> Optional.of(e.status().name());
            case SENDER_ID -> e.senderId().map(Object.class::cast);
            case RECEIVER_ID -> e.receiverId().map(Object.class::cast);
            case CURRENCY -> Optional.of(e.currency());
            case AMOUNT_GROSS -> Optional.of(e.amountGross());
            case TAX_WITHHELD -> Optional.of(e.taxWithheld());
            case AMOUNT_NET -> Optional.of(e.amountNet());
            case TAX_KIND -> Optional.of(e.taxKind().name());
            case CREATED_AT -> Optional.of(CanonicalEncoding.epochMicros(e.createdAt()));
            case ACTOR -> e.actor().map(Object.class::cast);
            case IP_ADDRESS -> e.ipAddress().map(Object.class::cast);
            case USER_AGENT -> e.userAgent().map(Object.class::cast);
            case REVERSES_TRANSACTION_ID -> e.reverses().map(Object.class::cast);
            case PREVIOUS_HASH -> Optional.of(e.previousHash().bytes());
            case METADATA -> e.metadata().canonical().map(Object.class::cast);
            case CURRENT_HASH -> Optional.of(e.currentHash().bytes());
        };
    }

    /**
     * The field's value in {@code e} as the text forms (export, JSON) write it: texts as they are, account
     * ids in the canonical UUID form, amounts as decimals with {@code scale} digits after the point, hashes as
     * lower-case hex, the seq in decimal; empty when an optional field is absent. Times have no single text
     * form (each representation documents its own), so {@link #CREATED_AT} is refused here.
     */
    public Optional<String> text(LedgerEntry e, int scale) {
        return switch (kind) {
            case TIME ->
                throw new IllegalArgumentException("a time has no single text form: format " + this + " yourself");
            case AMOUNT -> stored(e).map(v -> Money.format((Long) v, scale));
            case HASH ->
                Optional.of(
                        this == PREVIOUS_HASH
                                ? e.previousHash().hex()
                                : e.currentHash().hex());
            case INT64, TEXT, UUID -> stored(e).map(Object::toString);
        };
    }
}

package dev.tally.store.export;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.EntryField;
import dev.tally.core.ledger.EntryStatus;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.Metadata;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads one {@code entry} line of an export into the entry it records, with Jackson's streaming parser and
 * nothing in between. Strict: the first field is {@code "record": "entry"}, every field of
 * {@code ledger_entries} appears exactly once, nothing else does, and nothing follows the object. One
 * instance per thread: after a failure, {@link #seq()} and {@link #transactionId()} tell what was read of
 * the line, so the finding can still name the entry.
 */
final class EntryLine {
    /** Every entry line starts with these bytes (the writer puts {@code record} first). */
    static final byte[] PREFIX = "{\"record\":\"entry\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static final HexFormat HEX = HexFormat.of();
    /** The line's field names: {@code record}, then every entry field in {@link EntryField} order. */
    private static final String[] NAMES = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of("record"),
                    EntryField.all().stream().map(EntryField::wire))
            .map(String::intern)
            .toArray(String[]::new);

    private static final int ALL = (1 << NAMES.length) - 1;
    /**
     * The fields a line must have: all but {@code metadata}, which exports written before entries could carry
     * metadata lack (its absence reads as none).
     */
    private static final int REQUIRED = ALL & ~(1 << (EntryField.METADATA.ordinal() + 1));

    private final Currencies currencies;
    private final String[] text = new String[NAMES.length];
    private long seq;
    private int seen;

    EntryLine(Currencies currencies) {
        this.currencies = currencies;
    }

    /** Whether the line at {@code off} is an entry line. */
    static boolean isEntry(byte[] b, int off, int len) {
        return len >= PREFIX.length && java.util.Arrays.equals(b, off, off + PREFIX.length, PREFIX, 0, PREFIX.length);
    }

    /**
     * The entry on the line, as recorded (not checked against its hash: that is the verifier's job).
     *
     * @throws IllegalArgumentException when the line is not a well-formed entry record
     */
    LedgerEntry parse(byte[] b, int off, int len) {
        seq = -1;
        seen = 0;
        java.util.Arrays.fill(text, null);
        try (JsonParser p = ExportFormat.JSON.createParser(b, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("an entry line is one JSON object");
            }
            String name;
            while ((name = p.nextFieldName()) != null) {
                int field = field(name);
                if ((seen & (1 << field)) != 0) {
                    throw new IllegalArgumentException("field \"" + name + "\" appears twice");
                }
                seen |= 1 << field;
                JsonToken value = p.nextToken();
                if (field == slot(EntryField.SEQ)) {
                    if (value != JsonToken.VALUE_NUMBER_INT) {
                        throw new IllegalArgumentException("\"seq\" must be an integer");
                    }
                    seq = p.getLongValue();
                } else if (value == JsonToken.VALUE_STRING) {
                    text[field] = p.getText();
                } else if (value != JsonToken.VALUE_NULL) {
                    throw new IllegalArgumentException("\"" + name + "\" must be a string or null");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("an entry line is one JSON object and nothing else");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if ((seen & REQUIRED) != REQUIRED) {
            for (int i = 0; i < NAMES.length; i++) {
                if ((REQUIRED & ~seen & (1 << i)) != 0) {
                    throw new IllegalArgumentException("field \"" + NAMES[i] + "\" is missing");
                }
            }
        }
        if (!"entry".equals(text[0]) || seq < 1) {
            throw new IllegalArgumentException(seq < 1 ? "\"seq\" must be at least 1" : "not an entry record");
        }
        Currency currency = currencies
                .find(required(slot(EntryField.CURRENCY)))
                .orElseThrow(() -> new IllegalArgumentException(
                        "currency " + text[slot(EntryField.CURRENCY)] + " is not one of the export's currencies"));
        int scale = currency.scale();
        try {
            return new LedgerEntry(
                    seq,
                    required(slot(EntryField.TRANSACTION_ID)),
                    EntryType.valueOf(required(slot(EntryField.TYPE))),
                    EntryStatus.valueOf(required(slot(EntryField.STATUS))),
                    uuid(slot(EntryField.SENDER_ID)),
                    uuid(slot(EntryField.RECEIVER_ID)),
                    currency.code(),
                    ExportFormat.minor(required(slot(EntryField.AMOUNT_GROSS)), scale),
                    ExportFormat.minor(required(slot(EntryField.TAX_WITHHELD)), scale),
                    ExportFormat.minor(required(slot(EntryField.AMOUNT_NET)), scale),
                    TaxKind.valueOf(required(slot(EntryField.TAX_KIND))),
                    CanonicalEncoding.fromEpochMicros(ExportFormat.micros(required(slot(EntryField.CREATED_AT)))),
                    Optional.ofNullable(text[slot(EntryField.ACTOR)]),
                    Optional.ofNullable(text[slot(EntryField.IP_ADDRESS)]),
                    Optional.ofNullable(text[slot(EntryField.USER_AGENT)]),
                    Optional.ofNullable(text[slot(EntryField.REVERSES_TRANSACTION_ID)]),
                    hash(slot(EntryField.PREVIOUS_HASH)),
                    Optional.ofNullable(text[slot(EntryField.METADATA)])
                            .map(Metadata::parseCanonical)
                            .orElse(Metadata.EMPTY),
                    hash(slot(EntryField.CURRENT_HASH)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The seq read from the line, or -1. */
    long seq() {
        return seq;
    }

    /** The transaction id read from the line, if it got that far. */
    Optional<String> transactionId() {
        return Optional.ofNullable(text[slot(EntryField.TRANSACTION_ID)]);
    }

    /** The position of an entry field among the line's fields (after {@code record}). */
    private static int slot(EntryField f) {
        return f.ordinal() + 1;
    }

    // The names come from the parser's own table: identity is the fast path, equals the fallback.
    @SuppressWarnings("ReferenceEquality")
    private static int field(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            // Jackson interns field names, so this is almost always an identity hit.
            if (NAMES[i] == name || NAMES[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown field \"" + name + "\"");
    }

    private String required(int field) {
        if (text[field] == null) {
            throw new IllegalArgumentException("\"" + NAMES[field] + "\" must not be null");
        }
        return text[field];
    }

    private Optional<UUID> uuid(int field) {
        String s = text[field];
        if (s == null) {
            return Optional.empty();
        }
        if (s.length() != 36) {
            throw new IllegalArgumentException("\"" + NAMES[field] + "\" is not a UUID: " + ExportFormat.abbreviate(s));
        }
        return Optional.of(UUID.fromString(s));
    }

    private Hash hash(int field) {
        String s = required(field);
        if (s.length() != 64) {
            throw new IllegalArgumentException("\"" + NAMES[field] + "\" must be 64 hex digits");
        }
        return Hash.of(HEX.parseHex(s));
    }
}

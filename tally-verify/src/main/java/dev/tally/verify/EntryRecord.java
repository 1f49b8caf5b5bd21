package dev.tally.verify;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A ledger entry decoded from its canonical encoding, version 1 (docs/FORMAT.md §1), with no dependency on
 * the ledger: what a receipt's holder reads to check the amount, the parties and the time. Decoding is
 * strict: every byte must be accounted for, so one encoding means one entry.
 *
 * @param seq the entry's position (leaf {@code seq - 1})
 * @param fields every field in the table's order, as text (an absent optional value as {@code -})
 * @param currentHash SHA-256 of the encoding: the entry's {@code current_hash}, the tree's leaf input
 */
public record EntryRecord(long seq, Map<String, String> fields, byte[] currentHash) {
    public EntryRecord {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        currentHash = currentHash.clone();
    }

    @Override
    public byte[] currentHash() {
        return currentHash.clone();
    }

    /**
     * Decodes an encoding.
     *
     * @throws ProofException MALFORMED when the bytes are not exactly one version-1 entry
     */
    public static EntryRecord decode(byte[] encoding) {
        ByteBuffer b = ByteBuffer.wrap(encoding);
        try {
            Map<String, String> f = new LinkedHashMap<>();
            if (b.get() != 1) {
                throw ProofException.malformed("not a version 1 entry encoding");
            }
            long seq = b.getLong();
            if (seq < 1) {
                throw ProofException.malformed("entry seq must be 1 or more");
            }
            f.put("seq", Long.toString(seq));
            f.put("transaction_id", str(b));
            f.put("type", str(b));
            f.put("status", str(b));
            f.put("sender_id", optionalUuid(b));
            f.put("receiver_id", optionalUuid(b));
            f.put("currency", str(b));
            f.put("amount_gross", Long.toString(b.getLong()));
            f.put("tax_withheld", Long.toString(b.getLong()));
            f.put("amount_net", Long.toString(b.getLong()));
            f.put("tax_kind", str(b));
            long micros = b.getLong();
            f.put(
                    "created_at",
                    Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
                            .toString());
            f.put("actor", optionalStr(b));
            f.put("ip_address", optionalStr(b));
            f.put("user_agent", optionalStr(b));
            f.put("reverses_transaction_id", optionalStr(b));
            byte[] previous = new byte[32];
            b.get(previous);
            f.put("previous_hash", Hashes.toHex(previous));
            if (b.hasRemaining()) {
                throw ProofException.malformed("%d bytes after the entry encoding", b.remaining());
            }
            return new EntryRecord(seq, f, Hashes.sha256(encoding));
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw ProofException.malformed("the entry encoding is cut short or invalid");
        }
    }

    private static String str(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw ProofException.malformed("a string runs past the entry encoding");
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ProofException.malformed("a string of the entry encoding is not UTF-8");
        }
    }

    private static boolean present(ByteBuffer b) {
        byte p = b.get();
        if (p != 0 && p != 1) {
            throw ProofException.malformed("a presence byte must be 00 or 01");
        }
        return p == 1;
    }

    private static String optionalStr(ByteBuffer b) {
        return present(b) ? str(b) : "-";
    }

    private static String optionalUuid(ByteBuffer b) {
        return present(b) ? new UUID(b.getLong(), b.getLong()).toString() : "-";
    }
}

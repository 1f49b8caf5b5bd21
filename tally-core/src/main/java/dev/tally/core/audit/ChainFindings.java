package dev.tally.core.audit;

import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.EntryHasher;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Builds the findings of chain verification with the seed's forensic fields and wording ("Hash chain broken
 * at transaction #456", {@code corrupted_transaction}, {@code hash_mismatch_details}, ...). Positions in
 * messages are seqs ({@code #456}); {@code index} fields are 0-based ({@code 455}), as in the seed.
 */
public final class ChainFindings {
    /** The seed's timestamp form: ISO-8601 UTC with milliseconds, e.g. {@code 2026-02-11T14:23:00.000Z}. */
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** A hash cannot say which field changed; these are the ones the seed names as the usual suspects. */
    private static final List<String> POSSIBLY_MODIFIED =
            List.of("amount_gross", "amount_net", "tax_withheld", "sender_id", "receiver_id", "currency");

    private final Currencies currencies;

    public ChainFindings(Currencies currencies) {
        this.currencies = currencies;
    }

    /** An instant as the seed's reports print it. */
    public static String iso(Instant t) {
        return ISO_MILLIS.format(t);
    }

    /** A time in microseconds since the epoch as the seed's reports print it. */
    public static String isoMicros(long micros) {
        return iso(CanonicalEncoding.fromEpochMicros(micros));
    }

    Finding chainBroken(LedgerEntry e, Link previous) {
        Map<String, Object> corrupted = corrupted(e);
        corrupted.put("stored_previous_hash", e.previousHash().hex());
        corrupted.put("expected_previous_hash", previous.hashHex());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("corrupted_transaction", corrupted);
        d.put(
                "hash_mismatch_details",
                ordered(
                        "expected",
                        previous.hashHex(),
                        "actual",
                        e.previousHash().hex(),
                        "difference",
                        "Hash chain discontinuity detected"));
        d.put("previous_transaction", previousTransaction(previous));
        return new Finding(
                FindingType.HASH_CHAIN_BROKEN,
                OptionalLong.of(e.seq()),
                Optional.of(e.transactionId()),
                "Hash chain broken at transaction #" + e.seq(),
                d);
    }

    Finding tampered(LedgerEntry e, Optional<Link> previous) {
        List<String> fields = e.amountGross() == e.taxWithheld() + e.amountNet()
                ? POSSIBLY_MODIFIED
                : List.of("amount_gross", "amount_net", "tax_withheld");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("corrupted_transaction", corrupted(e));
        d.put(
                "hash_integrity_failure",
                ordered(
                        "stored_hash",
                        e.currentHash().hex(),
                        "computed_hash",
                        EntryHasher.hash(e).hex(),
                        "difference",
                        "Hashes do not match - data was modified after creation",
                        "possibly_modified_fields",
                        fields));
        previous.ifPresent(p -> d.put("previous_transaction", previousTransaction(p)));
        return new Finding(
                FindingType.TRANSACTION_TAMPERED,
                OptionalLong.of(e.seq()),
                Optional.of(e.transactionId()),
                "Transaction #" + e.seq() + " has been tampered with",
                d);
    }

    Finding missing(long fromSeq, long toSeq, Optional<Link> previous, Optional<Link> next) {
        long count = toSeq - fromSeq + 1;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("missing_transactions", ordered("from_index", fromSeq - 1, "to_index", toSeq - 1, "count", count));
        previous.ifPresent(p -> d.put("previous_transaction", previousTransaction(p)));
        next.ifPresent(n -> d.put(
                "next_transaction", ordered("transaction_id", n.transactionId().orElse(""), "index", n.seq() - 1)));
        String message = count == 1
                ? "Transaction #" + fromSeq + " is missing"
                : "Transactions #" + fromSeq + " to #" + toSeq + " are missing";
        return new Finding(FindingType.MISSING_TRANSACTION, OptionalLong.of(fromSeq), Optional.empty(), message, d);
    }

    Finding duplicate(LedgerEntry e, Link previous) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("corrupted_transaction", corrupted(e));
        d.put("previous_transaction", previousTransaction(previous));
        return new Finding(
                FindingType.DUPLICATE_TRANSACTION,
                OptionalLong.of(e.seq()),
                Optional.of(e.transactionId()),
                "Transaction #" + e.seq() + " is out of sequence: it does not come after transaction #"
                        + previous.seq(),
                d);
    }

    Finding duplicate(StoredRow.Malformed row, Link previous) {
        return new Finding(
                FindingType.DUPLICATE_TRANSACTION,
                OptionalLong.of(row.seq()),
                row.transactionId(),
                "Transaction #" + row.seq() + " is out of sequence: it does not come after transaction #"
                        + previous.seq(),
                Map.of("previous_transaction", previousTransaction(previous)));
    }

    Finding unreadable(StoredRow.Malformed row) {
        Map<String, Object> corrupted = new LinkedHashMap<>();
        row.transactionId().ifPresent(id -> corrupted.put("transaction_id", id));
        corrupted.put("index", row.seq() - 1);
        return new Finding(
                FindingType.INVALID_ENTRY,
                OptionalLong.of(row.seq()),
                row.transactionId(),
                "Transaction #" + row.seq() + " cannot be read: " + row.reason(),
                ordered("corrupted_transaction", corrupted, "invalid_entry", ordered("reason", row.reason())));
    }

    Finding brokenRule(LedgerEntry e, EntryRules.Problem problem) {
        return new Finding(
                FindingType.INVALID_ENTRY,
                OptionalLong.of(e.seq()),
                Optional.of(e.transactionId()),
                "Transaction #" + e.seq() + " is invalid: " + problem.description(),
                ordered(
                        "corrupted_transaction",
                        corrupted(e),
                        "invalid_entry",
                        ordered("reason", problem.description())));
    }

    Finding timestampOutOfOrder(LedgerEntry e, Link previous) {
        return new Finding(
                FindingType.TIMESTAMP_OUT_OF_ORDER,
                OptionalLong.of(e.seq()),
                Optional.of(e.transactionId()),
                "Transaction #" + e.seq() + " is older than transaction #" + previous.seq(),
                ordered(
                        "timestamp",
                        iso(e.createdAt()),
                        "previous_timestamp",
                        isoMicros(previous.createdAtMicros()),
                        "previous_transaction",
                        previousTransaction(previous)));
    }

    /**
     * The checks only the whole chain allows, the same for a store and an export: the recorded chain head
     * (moved by every commit with the newest entry) must name the newest entry and its hash. Entries past
     * the head were not written by the ledger; a head past the newest entry means the newest entries were
     * deleted.
     *
     * @param headSeq the recorded head's position (0 for an empty ledger)
     * @param headHashHex the recorded head's hash, hex
     * @param newestSeq the highest position read (0 when none)
     * @param newest the newest entry read, if any
     * @param verifiedFrom the first position the run covered: missing entries are reported from there at the earliest
     */
    public List<Finding> headChecks(
            long headSeq, String headHashHex, long newestSeq, Optional<Link> newest, long verifiedFrom) {
        if (newestSeq < headSeq) {
            return List.of(truncated(Math.max(newestSeq, verifiedFrom - 1) + 1, headSeq, newest));
        }
        String newestHash = newest.map(Link::hashHex).orElse(Link.GENESIS.hashHex());
        if (newestSeq > headSeq || !headHashHex.equals(newestHash)) {
            return List.of(headMismatch(headSeq, headHashHex, newest));
        }
        return List.of();
    }

    /** The recorded chain head names a position or hash that the newest entry does not have. */
    public Finding headMismatch(long headSeq, String headHashHex, Optional<Link> newest) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("chain_head", ordered("index", headSeq - 1, "hash", headHashHex));
        newest.ifPresent(n -> d.put(
                "newest_transaction",
                ordered(
                        "transaction_id",
                        n.transactionId().orElse(""),
                        "index",
                        n.seq() - 1,
                        "current_hash",
                        n.hashHex())));
        long at = newest.filter(n -> n.seq() > headSeq).map(n -> headSeq + 1).orElse(Math.max(headSeq, 1));
        String message = newest.isPresent() && newest.get().seq() > headSeq
                ? "Transactions after #" + headSeq + " are not in the recorded chain head"
                : "The recorded chain head does not match transaction #" + headSeq;
        Optional<String> beyond = newest.filter(n -> n.seq() > headSeq).flatMap(Link::transactionId);
        return new Finding(FindingType.CHAIN_HEAD_MISMATCH, OptionalLong.of(at), beyond, message, d);
    }

    /** Entries missing at the end of the chain: the head is past the newest stored entry. */
    public Finding truncated(long fromSeq, long headSeq, Optional<Link> newest) {
        return missing(fromSeq, headSeq, newest, Optional.empty());
    }

    /** The entry an earlier run ended on has changed or is gone. */
    public Finding anchorMismatch(UUID runId, long seq, String recordedHashHex, Optional<Link> stored) {
        Map<String, Object> anchor = new LinkedHashMap<>();
        anchor.put("run_id", runId.toString());
        anchor.put("index", seq - 1);
        anchor.put("recorded_hash", recordedHashHex);
        stored.ifPresent(s -> anchor.put("stored_hash", s.hashHex()));
        String message = stored.isPresent()
                ? "Transaction #" + seq + ", verified by run " + runId + ", no longer has the hash that run recorded"
                : "Transaction #" + seq + ", verified by run " + runId + ", is gone";
        return new Finding(
                FindingType.ANCHOR_MISMATCH,
                OptionalLong.of(seq),
                stored.flatMap(Link::transactionId),
                message,
                Map.of("anchor", anchor));
    }

    /** The seed's {@code corrupted_transaction}: the entry as stored, amounts as decimal strings. */
    Map<String, Object> corrupted(LedgerEntry e) {
        int scale = currencies.find(e.currency()).map(Currency::scale).orElse(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transaction_id", e.transactionId());
        m.put("index", e.seq() - 1);
        e.senderId().ifPresent(id -> m.put("sender", id.toString()));
        e.receiverId().ifPresent(id -> m.put("receiver", id.toString()));
        m.put("amount_gross", Money.format(e.amountGross(), scale));
        m.put("tax_withheld", Money.format(e.taxWithheld(), scale));
        m.put("amount_net", Money.format(e.amountNet(), scale));
        m.put("currency", e.currency());
        m.put("type", e.type().name());
        m.put("timestamp", iso(e.createdAt()));
        e.actor().ifPresent(a -> m.put("actor", a));
        e.ipAddress().ifPresent(ip -> m.put("ip_address", ip));
        e.userAgent().ifPresent(ua -> m.put("user_agent", ua));
        e.reverses().ifPresent(r -> m.put("reverses_transaction_id", r));
        return m;
    }

    private static Map<String, Object> previousTransaction(Link p) {
        Map<String, Object> m = new LinkedHashMap<>();
        // The genesis link is no entry: it has no id and no index, only the all-zero hash.
        m.put("transaction_id", p.transactionId().orElse("genesis"));
        if (p.seq() > 0) {
            m.put("index", p.seq() - 1);
        }
        m.put("current_hash", p.hashHex());
        return m;
    }

    /** An ordered map of key, value pairs. */
    static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}

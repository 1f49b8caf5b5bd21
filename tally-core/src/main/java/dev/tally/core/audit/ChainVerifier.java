package dev.tally.core.audit;

import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.EntryStatus;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currencies;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies one contiguous range of the journal, row by row in {@code seq} order, against the stored
 * predecessor of each row. For every row it checks, in this order (the order of the findings for one row):
 * <ol>
 *   <li>sequence: the row comes right after its predecessor (a gap is {@code MISSING_TRANSACTION}, a
 *       position not after it {@code DUPLICATE_TRANSACTION});</li>
 *   <li>chain continuity: {@code previous_hash} equals the predecessor's stored {@code current_hash}, the
 *       genesis entry's is all zeros ({@code HASH_CHAIN_BROKEN});</li>
 *   <li>hash integrity: {@code current_hash} is SHA-256 of the canonical encoding ({@code TRANSACTION_TAMPERED});</li>
 *   <li>entry rules: gross = tax + net, positive amounts, a known currency, the shape of its type
 *       ({@code INVALID_ENTRY}; an unreadable row is one too);</li>
 *   <li>timestamp order: not older than the predecessor (a warning, as in the seed).</li>
 * </ol>
 * Every check is local to a row and its predecessor, so a ledger splits into ranges verified in parallel,
 * each starting from the stored row before it; it keeps going after a failure, so one run lists every
 * finding (the first {@code maxFindings} of them, and a count of the rest).
 *
 * <p>Two ways in. {@link #accept(StoredRow)} is the full check of an entry read through the store. The fast
 * way, {@link #tryAccept(RawEntry)}, checks raw column bytes without building an entry; it passes only a
 * row on which the full check would find nothing, and turns every other row into a {@link Suspect} for the
 * caller to read in full and hand to {@link #diagnose}. Suspects are rare (a tampered row), so the fast way
 * costs a hash and a few comparisons per row. Not thread-safe: one verifier per range and thread.
 */
public final class ChainVerifier {
    private static final EntryType[] TYPE_VALUES = EntryType.values();
    private static final TaxKind[] TAX_KIND_VALUES = TaxKind.values();
    private static final byte[][] TYPES = names(TYPE_VALUES);
    private static final byte[][] TAX_KINDS = names(TAX_KIND_VALUES);
    private static final byte[][] STATUSES = names(EntryStatus.values());

    private final Currencies currencies;
    private final byte[][] currencyCodes;
    private final ChainFindings describe;
    private final int maxFindings;
    private final MessageDigest sha256;
    private final byte[] digest = new byte[32];
    private byte[] encoding = new byte[512];

    // The stored predecessor of the next row, kept as raw bytes so the fast way allocates nothing.
    private long linkSeq;
    private final byte[] linkHash = new byte[64];
    private int linkHashLen;
    private long linkCreatedAt;
    private byte[] linkId = new byte[64];
    private int linkIdLen;
    private boolean linkKnown;

    private long rows;
    private Optional<Link> first = Optional.empty();
    private final List<Finding> findings = new ArrayList<>();
    private long findingsTotal;
    private long errorsTotal;
    private Optional<Finding> firstError = Optional.empty();
    private final List<Suspect> suspects = new ArrayList<>();

    /**
     * A row the fast way could not pass, with the predecessor it must be checked against.
     *
     * @param predecessorKnown false when the predecessor's stored hash could not be read
     */
    public record Suspect(long seq, Link predecessor, boolean predecessorKnown) {
        public Suspect {
            Objects.requireNonNull(predecessor, "predecessor");
        }
    }

    /**
     * What one range holds: its row count, first and last rows as links, and its findings (the first
     * {@code maxFindings} in seq order, out of {@code findingsTotal}, of which {@code errorsTotal} errors).
     */
    public record RangeResult(
            long rows,
            Optional<Link> first,
            Optional<Link> last,
            List<Finding> findings,
            long findingsTotal,
            long errorsTotal,
            Optional<Finding> firstError) {
        public RangeResult {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(last, "last");
            Objects.requireNonNull(firstError, "firstError");
            findings = List.copyOf(findings);
        }
    }

    /**
     * A verifier of the range right after {@code predecessor} ({@link Link#GENESIS} for a whole ledger).
     *
     * @param currencies the ledger's currencies: an entry in another is invalid
     * @param maxFindings how many findings to keep; the rest are only counted
     */
    public ChainVerifier(Currencies currencies, Link predecessor, int maxFindings) {
        this.currencies = Objects.requireNonNull(currencies, "currencies");
        this.currencyCodes = currencies.all().stream()
                .map(c -> c.code().getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
        this.describe = new ChainFindings(currencies);
        if (maxFindings < 1) {
            throw new IllegalArgumentException("maxFindings must be positive");
        }
        this.maxFindings = maxFindings;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
        setLink(predecessor);
    }

    /** The link of an entry as stored: what its successor must point to. */
    public static Link linkOf(LedgerEntry e) {
        return new Link(
                e.seq(),
                Optional.of(e.transactionId()),
                e.currentHash().bytes(),
                CanonicalEncoding.epochMicros(e.createdAt()));
    }

    // ---- the full check -------------------------------------------------------------------------

    /** Checks a row read in full, after the rows already given. */
    public void accept(StoredRow row) {
        rows++;
        Link previous = link();
        boolean known = linkKnown;
        if (first.isEmpty()) {
            first = Optional.of(linkOf(row));
        }
        check(previous, known, row);
        if (row.seq() > linkSeq) {
            switch (row) {
                case StoredRow.Readable r -> setLink(linkOf(r.entry()));
                case StoredRow.Malformed m -> {
                    // Its stored hash could not be read: the successor's link cannot be checked.
                    setLink(linkOf(m));
                    linkKnown = false;
                }
            }
        }
    }

    /** Runs the full check of a suspect, read in full, against the predecessor the fast way saw. */
    public void diagnose(Suspect suspect, StoredRow row) {
        if (row.seq() != suspect.seq()) {
            throw new IllegalArgumentException("suspect " + suspect.seq() + " diagnosed with row " + row.seq());
        }
        check(suspect.predecessor(), suspect.predecessorKnown(), row);
    }

    private void check(Link previous, boolean known, StoredRow row) {
        if (row.seq() <= previous.seq()) {
            report(
                    switch (row) {
                        case StoredRow.Readable r -> describe.duplicate(r.entry(), previous);
                        case StoredRow.Malformed m -> describe.duplicate(m, previous);
                    });
            return;
        }
        if (row.seq() > previous.seq() + 1) {
            report(describe.missing(
                    previous.seq() + 1, row.seq() - 1, Optional.of(previous), Optional.of(linkOf(row))));
        }
        switch (row) {
            case StoredRow.Malformed m -> report(describe.unreadable(m));
            case StoredRow.Readable r -> {
                LedgerEntry e = r.entry();
                if (known && !previous.hashEquals(e.previousHash().bytes())) {
                    report(describe.chainBroken(e, previous));
                }
                if (!e.hashMatches()) {
                    report(describe.tampered(e, known ? Optional.of(previous) : Optional.empty()));
                }
                EntryRules.Problem problem = rules(e);
                if (problem != EntryRules.Problem.NONE) {
                    report(describe.brokenRule(e, problem));
                }
                if (known && CanonicalEncoding.epochMicros(e.createdAt()) < previous.createdAtMicros()) {
                    report(describe.timestampOutOfOrder(e, previous));
                }
            }
        }
    }

    private EntryRules.Problem rules(LedgerEntry e) {
        boolean same = e.senderId().isPresent() && e.senderId().equals(e.receiverId());
        return EntryRules.check(
                e.type(),
                e.senderId().isPresent(),
                e.receiverId().isPresent(),
                same,
                e.amountGross(),
                e.taxWithheld(),
                e.amountNet(),
                e.taxKind(),
                e.reverses().isPresent(),
                currencies.find(e.currency()).isPresent());
    }

    // ---- the fast way ---------------------------------------------------------------------------

    /**
     * Checks a raw row after the rows already given. Returns true when the full check would find nothing;
     * otherwise records a {@link Suspect} (see {@link #takeSuspects}) and returns false. Either way the row
     * becomes the predecessor of the next one, as stored.
     */
    public boolean tryAccept(RawEntry r) {
        rows++;
        if (first.isEmpty()) {
            first = Optional.of(rawLink(r));
        }
        boolean fine = linkKnown && r.readable && r.seq == linkSeq + 1 && passes(r);
        if (!fine) {
            suspects.add(new Suspect(r.seq, link(), linkKnown));
        }
        if (r.seq > linkSeq) {
            advance(r);
        }
        return fine;
    }

    /** The suspects recorded since the last call, in seq order; the caller diagnoses each. */
    public List<Suspect> takeSuspects() {
        List<Suspect> taken = List.copyOf(suspects);
        suspects.clear();
        return taken;
    }

    /** How many suspects wait to be taken. */
    public int pendingSuspects() {
        return suspects.size();
    }

    private boolean passes(RawEntry r) {
        if (r.prevLen != 32
                || r.curLen != 32
                || linkHashLen != 32
                || r.createdAt < linkCreatedAt
                || !Arrays.equals(r.data, r.prevOff, r.prevOff + 32, linkHash, 0, 32)
                || !r.hasText(RawEntry.Text.TRANSACTION_ID)
                || (r.hasText(RawEntry.Text.METADATA) && !r.metadataIsCanonical())) {
            return false;
        }
        int type = match(r, RawEntry.Text.TYPE, TYPES);
        int kind = match(r, RawEntry.Text.TAX_KIND, TAX_KINDS);
        if (type < 0 || kind < 0 || match(r, RawEntry.Text.STATUS, STATUSES) < 0) {
            return false;
        }
        boolean sender = r.partyPresent[0];
        boolean receiver = r.partyPresent[1];
        boolean same = sender && receiver && r.partyMsb[0] == r.partyMsb[1] && r.partyLsb[0] == r.partyLsb[1];
        if (EntryRules.check(
                        TYPE_VALUES[type],
                        sender,
                        receiver,
                        same,
                        r.gross,
                        r.tax,
                        r.net,
                        TAX_KIND_VALUES[kind],
                        r.hasText(RawEntry.Text.REVERSES_TRANSACTION_ID),
                        match(r, RawEntry.Text.CURRENCY, currencyCodes) >= 0)
                != EntryRules.Problem.NONE) {
            return false;
        }
        encoding = r.encodeTo(encoding);
        sha256.update(encoding, 0, r.encodedLength);
        try {
            sha256.digest(digest, 0, 32);
        } catch (DigestException e) {
            throw new AssertionError("a 32-byte buffer holds a SHA-256 digest", e);
        }
        return Arrays.equals(digest, 0, 32, r.data, r.curOff, r.curOff + 32);
    }

    private static int match(RawEntry r, RawEntry.Text field, byte[][] names) {
        for (int i = 0; i < names.length; i++) {
            if (r.textEquals(field, names[i])) {
                return i;
            }
        }
        return -1;
    }

    private void advance(RawEntry r) {
        linkSeq = r.seq;
        linkCreatedAt = r.createdAt;
        linkKnown = r.curLen >= 0 && r.curLen <= linkHash.length;
        if (linkKnown) {
            System.arraycopy(r.data, r.curOff, linkHash, 0, r.curLen);
            linkHashLen = r.curLen;
        }
        int id = RawEntry.Text.TRANSACTION_ID.ordinal();
        linkIdLen = r.textLen[id];
        if (linkIdLen > 0) {
            if (linkIdLen > linkId.length) {
                linkId = new byte[linkIdLen];
            }
            System.arraycopy(r.data, r.textOff[id], linkId, 0, linkIdLen);
        }
    }

    private Link rawLink(RawEntry r) {
        int id = RawEntry.Text.TRANSACTION_ID.ordinal();
        Optional<String> txId = r.textLen[id] < 0
                ? Optional.empty()
                : Optional.of(new String(r.data, r.textOff[id], r.textLen[id], StandardCharsets.UTF_8));
        byte[] hash = r.curLen < 0 ? new byte[0] : Arrays.copyOfRange(r.data, r.curOff, r.curOff + r.curLen);
        return new Link(r.seq, txId, hash, r.createdAt);
    }

    // ---- the link and the results ---------------------------------------------------------------

    private static Link linkOf(StoredRow row) {
        return switch (row) {
            case StoredRow.Readable r -> linkOf(r.entry());
            case StoredRow.Malformed m -> new Link(m.seq(), m.transactionId(), new byte[0], Long.MIN_VALUE);
        };
    }

    private void setLink(Link l) {
        linkSeq = l.seq();
        byte[] hash = l.storedHash();
        linkKnown = hash.length <= linkHash.length;
        linkHashLen = Math.min(hash.length, linkHash.length);
        System.arraycopy(hash, 0, linkHash, 0, linkHashLen);
        linkCreatedAt = l.createdAtMicros();
        byte[] id =
                l.transactionId().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        linkIdLen = id == null ? -1 : id.length;
        if (id != null) {
            linkId = id;
        }
    }

    /** The predecessor of the next row. */
    public Link link() {
        Optional<String> id = linkIdLen < 0
                ? Optional.empty()
                : Optional.of(new String(linkId, 0, linkIdLen, StandardCharsets.UTF_8));
        return new Link(linkSeq, id, Arrays.copyOf(linkHash, linkHashLen), linkCreatedAt);
    }

    private void report(Finding f) {
        findingsTotal++;
        if (f.isError()) {
            errorsTotal++;
            if (firstError.isEmpty()) {
                firstError = Optional.of(f);
            }
        }
        if (findings.size() < maxFindings) {
            findings.add(f);
        }
    }

    /** The rows seen, the first and last of them, and the findings so far. */
    public RangeResult result() {
        return new RangeResult(
                rows,
                first,
                rows == 0 ? Optional.empty() : Optional.of(link()),
                findings,
                findingsTotal,
                errorsTotal,
                firstError);
    }

    /** The currencies entries are checked against. */
    public Currencies currencies() {
        return currencies;
    }

    private static byte[][] names(Enum<?>[] values) {
        return Arrays.stream(values)
                .map(v -> v.name().getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
    }
}

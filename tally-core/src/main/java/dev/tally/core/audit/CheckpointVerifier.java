package dev.tally.core.audit;

import dev.tally.verify.Checkpoint;
import dev.tally.verify.CompactRange;
import dev.tally.verify.Hashes;
import dev.tally.verify.NoteVerifier;
import dev.tally.verify.ProofException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks a ledger against its signed checkpoints, closing what a hash chain leaves open: someone who can
 * write the database can rewrite an entry and recompute every hash after it, or delete the newest entries,
 * and the chain still verifies. A checkpoint signed earlier, kept outside the database, catches both.
 * <ol>
 *   <li>Every note must carry a valid Ed25519 signature by the log's key and hold a C2SP tlog-checkpoint
 *       whose origin is the key's name (Tally's convention): else {@code BAD_SIGNATURE}, and the checkpoint
 *       is not used.</li>
 *   <li>The root of the first {@code size} entries, recomputed from the entries' {@code current_hash}
 *       values (RFC 9162 §2.1.1, leaf input = the 32-byte hash; never from the stored tree, which the same
 *       attacker could rewrite) must equal each checkpoint's signed root: else {@code CHECKPOINT_MISMATCH}.</li>
 *   <li>The ledger must hold at least as many entries as the largest signed size: else {@code TRUNCATED}.</li>
 * </ol>
 * Use: construct (this verifies the signatures), {@link #accept} the entries' hashes in seq order from 1
 * (up to {@link #neededSize()} suffices), then {@link #finish}. Memory is O(log n) plus the checkpoints.
 * Not thread-safe.
 */
public final class CheckpointVerifier {
    private final CheckpointCheck check;
    private final List<Signed> verified = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final CompactRange tree = new CompactRange();
    private int next;
    /** The first position whose hash could not be used (a gap or an unreadable hash); 0 while none. */
    private long brokenAt;

    private String brokenWhy = "";

    /**
     * A checkpoint whose signature verified.
     *
     * @param position its 1-based place in the source
     * @param checkpoint the parsed checkpoint
     * @param note the whole signed note
     */
    public record Signed(int position, Checkpoint checkpoint, String note) {}

    /** Verifies every note's signature; bad ones become {@code BAD_SIGNATURE} findings. */
    public CheckpointVerifier(CheckpointCheck check) {
        this.check = check;
        NoteVerifier key = check.key();
        for (int i = 0; i < check.notes().size(); i++) {
            String note = check.notes().get(i);
            try {
                Checkpoint c = key.open(note).checkpoint();
                if (!c.origin().equals(key.name())) {
                    findings.add(badSignature(
                            i + 1,
                            note,
                            "it is a checkpoint of log \"" + c.origin() + "\", not of this log (\"" + key.name()
                                    + "\")"));
                } else {
                    verified.add(new Signed(i + 1, c, note));
                }
            } catch (ProofException e) {
                findings.add(badSignature(i + 1, note, e.getMessage()));
            }
        }
        verified.sort(Comparator.comparingLong((Signed s) -> s.checkpoint().size()));
        while (next < verified.size() && verified.get(next).checkpoint().size() == 0) {
            compare(verified.get(next++));
        }
    }

    /** The checkpoints whose signatures verified, smallest size first. */
    public List<Signed> verified() {
        return List.copyOf(verified);
    }

    /** The entries that must be fed for every checkpoint to be checked: the largest verified size. */
    public long neededSize() {
        return verified.isEmpty()
                ? 0
                : verified.get(verified.size() - 1).checkpoint().size();
    }

    /** The newest verified checkpoint of at most {@code size} entries: where an incremental check may start. */
    public Optional<Signed> newestWithin(long size) {
        Signed best = null;
        for (Signed s : verified) {
            if (s.checkpoint().size() <= size) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Adds the entry at {@code seq} (1 for the genesis entry) as the next leaf. A position out of turn (a
     * deleted entry) or a hash that is not 32 bytes makes the roots from there on uncomputable; the
     * checkpoints that need them are reported by {@link #finish}.
     */
    public void accept(long seq, byte[] currentHash) {
        if (brokenAt != 0) {
            return;
        }
        long expected = tree.size() + 1;
        if (seq != expected) {
            brokenAt = expected;
            brokenWhy = seq > expected
                    ? "transaction #" + expected + " is missing"
                    : "transaction #" + seq + " is out of sequence";
            return;
        }
        if (!Hashes.isHash(currentHash)) {
            brokenAt = seq;
            brokenWhy = "the stored hash of transaction #" + seq + " is not 32 bytes";
            return;
        }
        tree.appendLeaf(currentHash);
        while (next < verified.size() && verified.get(next).checkpoint().size() == tree.size()) {
            compare(verified.get(next++));
        }
    }

    /** How many leaves were fed. */
    public long size() {
        return tree.size();
    }

    /** The root of the leaves fed so far (RFC 9162 MTH). */
    public byte[] root() {
        return tree.root();
    }

    /**
     * The findings: bad signatures, mismatched roots, and truncation against a ledger of
     * {@code ledgerSize} entries (its newest position).
     */
    public List<Finding> finish(long ledgerSize) {
        List<Finding> out = new ArrayList<>(findings);
        for (int i = next; i < verified.size(); i++) {
            Signed s = verified.get(i);
            if (s.checkpoint().size() <= ledgerSize) {
                out.add(mismatch(
                        s,
                        Optional.empty(),
                        brokenAt != 0 ? "its root cannot be recomputed: " + brokenWhy : "its entries were not read"));
            }
        }
        truncation(ledgerSize).ifPresent(out::add);
        return out;
    }

    /** The {@code BAD_SIGNATURE} findings: one per note that did not verify. */
    public List<Finding> signatureFindings() {
        return findings.stream()
                .filter(f -> f.type() == FindingType.BAD_SIGNATURE)
                .toList();
    }

    /**
     * {@code TRUNCATED} when a verified checkpoint is larger than a ledger of {@code ledgerSize} entries,
     * reported against the largest such checkpoint.
     */
    public Optional<Finding> truncation(long ledgerSize) {
        if (verified.isEmpty() || neededSize() <= ledgerSize) {
            return Optional.empty();
        }
        return Optional.of(truncated(verified.get(verified.size() - 1), ledgerSize));
    }

    private void compare(Signed s) {
        byte[] root = tree.root();
        if (!Hashes.toHex(root).equals(Hashes.toHex(s.checkpoint().rootHash()))) {
            findings.add(mismatch(s, Optional.of(root), "the entries no longer hash to the signed root"));
        }
    }

    // ---- findings -------------------------------------------------------------------------------

    /** {@code CHECKPOINT_MISMATCH}: the first {@code size} entries do not hash to the checkpoint's signed root. */
    public Finding mismatch(Signed s, Optional<byte[]> recomputed, String why) {
        long size = s.checkpoint().size();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("checkpoint", describe(s));
        recomputed.ifPresent(r -> d.put("recomputed_root", Hashes.toHex(r)));
        d.put("reason", why);
        return new Finding(
                FindingType.CHECKPOINT_MISMATCH,
                size == 0 ? OptionalLong.empty() : OptionalLong.of(size),
                Optional.empty(),
                "The first " + size + " transactions do not match checkpoint " + s.position() + " of " + check.source()
                        + ", signed at size " + size + ": " + why,
                d);
    }

    private Finding truncated(Signed s, long ledgerSize) {
        long size = s.checkpoint().size();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ledger_size", ledgerSize);
        d.put("signed_size", size);
        d.put(
                "missing_transactions",
                ChainFindings.ordered("from_index", ledgerSize, "to_index", size - 1, "count", size - ledgerSize));
        d.put("checkpoint", describe(s));
        return new Finding(
                FindingType.TRUNCATED,
                OptionalLong.of(ledgerSize + 1),
                Optional.empty(),
                "The ledger holds " + ledgerSize + " transactions but checkpoint " + s.position() + " of "
                        + check.source() + " was signed at size " + size + ": transactions #" + (ledgerSize + 1)
                        + " to #" + size + " were deleted",
                d);
    }

    private Finding badSignature(int position, String note, String why) {
        Map<String, Object> d = new LinkedHashMap<>();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("position", position);
        c.put("source", check.source());
        c.put("note", note);
        d.put("checkpoint", c);
        d.put("public_key", check.key().verifierKey());
        d.put("reason", why);
        return new Finding(
                FindingType.BAD_SIGNATURE,
                OptionalLong.empty(),
                Optional.empty(),
                "Checkpoint " + position + " of " + check.source() + " does not verify with key "
                        + check.key().name() + ": " + why,
                d);
    }

    private Map<String, Object> describe(Signed s) {
        return ChainFindings.ordered(
                "position",
                s.position(),
                "source",
                check.source(),
                "origin",
                s.checkpoint().origin(),
                "tree_size",
                s.checkpoint().size(),
                "root_hash",
                Hashes.toHex(s.checkpoint().rootHash()));
    }
}

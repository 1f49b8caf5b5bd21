package dev.tally.ledger.merkle;

import dev.tally.core.error.RejectedException;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.LedgerStore;
import dev.tally.verify.ConsistencyProof;
import dev.tally.verify.HashReader;
import dev.tally.verify.Hashes;
import dev.tally.verify.InclusionProof;
import dev.tally.verify.ProofException;
import dev.tally.verify.Proofs;
import dev.tally.verify.StoredHashes;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The ledger as a verifiable log (RFC 9162): its tree size and roots, inclusion and consistency proofs
 * built from the stored tree in one batched read of O(log n) hashes each, and the signed checkpoints that
 * vouch for a size and root. This is what the CLI's {@code tally proof} and the HTTP API serve; the proofs
 * verify with the dependency-free {@code dev.tally.verify} module alone.
 *
 * <p>The tree's leaf {@code i} is the entry at {@code seq = i + 1}, its leaf input the entry's 32-byte
 * {@code current_hash} (docs/FORMAT.md). Every proof is checked before it is returned, and a proof against a
 * signed size must reproduce the signed root: a stored tree that disagrees with the entries or with a
 * checkpoint is a {@link StoreException}, never a wrong proof. Thread-safe; reads only.
 */
public final class MerkleLog {
    private final LedgerStore store;
    private final HashReader tree;
    private final CheckpointRows checkpoints;

    /** The log of the ledger in {@code store}. */
    public MerkleLog(LedgerStore store) {
        this.store = store;
        this.tree = store::readTreeHashes;
        this.checkpoints = new CheckpointRows(store.checkpoints());
    }

    /** The number of committed entries: the current tree size. */
    public long size() {
        return store.loadHead().seq();
    }

    /**
     * The RFC 9162 root of the first {@code size} entries, from the stored tree.
     *
     * @throws ProofException OUT_OF_RANGE unless 0 ≤ size ≤ {@link #size()}
     */
    public byte[] root(long size) {
        requireSize(size, "tree size");
        return StoredHashes.treeHash(size, tree);
    }

    /**
     * The tree size to prove against when none is asked for: the newest signed checkpoint that covers
     * position {@code seq}, else the current size (whose root nobody has signed yet).
     */
    public long defaultSize(long seq) {
        return checkpoints
                .latest()
                .filter(c -> c.size() >= seq)
                .map(SignedCheckpoint::size)
                .orElseGet(this::size);
    }

    /** The seq of the entry with {@code transactionId}, live or in an archived month. */
    public java.util.OptionalLong seqOf(String transactionId) {
        Optional<LedgerEntry> e = store.findEntry(transactionId);
        return e.isPresent()
                ? java.util.OptionalLong.of(e.get().seq())
                : store.archives().archivedSeq(transactionId);
    }

    /**
     * The inclusion proof of the entry with {@code transactionId} in the tree of {@code treeSize} entries,
     * with the signed checkpoint of that size when there is one.
     *
     * @throws RejectedException UNKNOWN_TRANSACTION when there is no such entry
     * @throws ProofException OUT_OF_RANGE when the tree of that size does not contain the entry
     */
    public InclusionProof inclusionProof(String transactionId, long treeSize) {
        Optional<LedgerEntry> e = store.findEntry(transactionId);
        if (e.isPresent()) {
            return inclusionProof(e.get(), treeSize);
        }
        // An entry of an archived month: its row is gone, but its seq (kept with the idempotency keys) and its leaf
        // (in the stored tree) are all a proof needs, and the proof is checked against the signed root before it
        // leaves, as any other.
        long seq = store.archives()
                .archivedSeq(transactionId)
                .orElseThrow(() -> new RejectedException(Rejection.of(
                        RejectionCode.UNKNOWN_TRANSACTION, "no entry with transaction_id " + transactionId)));
        if (seq > treeSize) {
            throw outOfRange("transaction %s is entry #%d, not in a tree of size %d", transactionId, seq, treeSize);
        }
        return leafProof(seq - 1, treeSize);
    }

    /** The inclusion proof of the stored leaf {@code leafIndex}, verified against the root of {@code treeSize}. */
    private InclusionProof leafProof(long leafIndex, long treeSize) {
        requireSize(treeSize, "tree size");
        byte[] leafHash = store.readTreeHashes(new long[] {StoredHashes.storedHashIndex(0, leafIndex)})
                .get(0);
        List<byte[]> path = Proofs.proveInclusion(treeSize, leafIndex, tree);
        byte[] root = signedRootOrStored(treeSize);
        if (!Proofs.verifyInclusion(leafIndex, treeSize, leafHash, path, root)) {
            throw new StoreException("the stored Merkle tree does not match archived entry #" + (leafIndex + 1) + " of "
                    + store.describe() + ": run tally verify --archives");
        }
        InclusionProof proof = new InclusionProof(leafIndex, treeSize, root, leafHash, path);
        return checkpoints
                .find(treeSize)
                .map(c -> proof.withCheckpoint(c.note()))
                .orElse(proof);
    }

    /**
     * The inclusion proof of leaf {@code leafIndex} (the entry at seq {@code leafIndex + 1}) in the tree of
     * {@code treeSize} entries.
     *
     * @throws ProofException OUT_OF_RANGE unless 0 ≤ leafIndex &lt; treeSize ≤ {@link #size()}
     */
    public InclusionProof inclusionProof(long leafIndex, long treeSize) {
        requireSize(treeSize, "tree size");
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw outOfRange("leaf index %d is not in a tree of size %d", leafIndex, treeSize);
        }
        Optional<LedgerEntry> e = store.findEntryBySeq(leafIndex + 1);
        if (e.isEmpty()
                && store.archives()
                        .boundary()
                        .filter(b -> leafIndex < b.lastSeq())
                        .isPresent()) {
            return leafProof(leafIndex, treeSize);
        }
        return inclusionProof(
                e.orElseThrow(() -> new StoreException(
                        "the entry at seq " + (leafIndex + 1) + " is missing from " + store.describe())),
                treeSize);
    }

    private InclusionProof inclusionProof(LedgerEntry e, long treeSize) {
        requireSize(treeSize, "tree size");
        long leafIndex = e.seq() - 1;
        if (leafIndex >= treeSize) {
            throw outOfRange(
                    "transaction %s is entry #%d, not in a tree of size %d", e.transactionId(), e.seq(), treeSize);
        }
        byte[] leafHash = Hashes.leafHash(e.currentHash().bytes());
        List<byte[]> path = Proofs.proveInclusion(treeSize, leafIndex, tree);
        byte[] root = signedRootOrStored(treeSize);
        if (!Proofs.verifyInclusion(leafIndex, treeSize, leafHash, path, root)) {
            throw new StoreException("the stored Merkle tree does not match entry #" + e.seq() + " ("
                    + e.transactionId() + ") of " + store.describe() + ": run tally verify");
        }
        InclusionProof proof = new InclusionProof(leafIndex, treeSize, root, leafHash, path);
        return checkpoints
                .find(treeSize)
                .map(c -> proof.withCheckpoint(c.note()))
                .orElse(proof);
    }

    /**
     * The consistency proof that the tree of {@code size1} entries is a prefix of the tree of
     * {@code size2}, with the signed checkpoint of size2 when there is one.
     *
     * @throws ProofException OUT_OF_RANGE unless 0 ≤ size1 ≤ size2 ≤ {@link #size()}
     */
    public ConsistencyProof consistencyProof(long size1, long size2) {
        requireSize(size2, "size2");
        if (size1 < 0 || size1 > size2) {
            throw outOfRange("no consistency proof from size %d to size %d", size1, size2);
        }
        List<byte[]> path = Proofs.proveConsistency(size1, size2, tree);
        byte[] root1 = signedRootOrStored(size1);
        byte[] root2 = signedRootOrStored(size2);
        if (!Proofs.verifyConsistency(size1, size2, root1, root2, path)) {
            throw new StoreException("the stored Merkle tree of " + store.describe()
                    + " is not consistent between sizes " + size1 + " and " + size2 + ": run tally verify");
        }
        ConsistencyProof proof = new ConsistencyProof(size1, size2, root1, root2, path);
        return checkpoints.find(size2).map(c -> proof.withCheckpoint(c.note())).orElse(proof);
    }

    /**
     * The receipt of the entry with {@code transactionId} (docs/FORMAT.md §10): a C2SP tlog-proof against the
     * newest signed checkpoint, with every cosignature it collected, and the entry's canonical encoding as
     * its {@code extra} line. Empty while no checkpoint covers the entry yet.
     *
     * @throws RejectedException UNKNOWN_TRANSACTION when there is no such entry
     */
    public Optional<dev.tally.verify.Receipt> receipt(String transactionId) {
        LedgerEntry e = store.findEntry(transactionId)
                .orElseThrow(() -> new RejectedException(Rejection.of(
                        RejectionCode.UNKNOWN_TRANSACTION, "no entry with transaction_id " + transactionId)));
        Optional<SignedCheckpoint> c = checkpoints.latest().filter(x -> x.size() >= e.seq());
        if (c.isEmpty()) {
            return Optional.empty();
        }
        InclusionProof proof = inclusionProof(e, c.get().size());
        return Optional.of(new dev.tally.verify.Receipt(
                dev.tally.core.ledger.CanonicalEncoding.encode(e),
                proof.leafIdx(),
                proof.proof(),
                c.get().note()));
    }

    /**
     * Stores {@code cosigned}, the note of {@code c} with more signature lines (witness cosignatures), in place of
     * {@code c}'s note, unless the stored note changed meanwhile. The checkpoint's text must be the same.
     *
     * @return whether it was stored
     */
    public boolean addSignatures(SignedCheckpoint c, String cosigned) {
        if (!dev.tally.verify.SignedNote.parse(cosigned)
                .text()
                .equals(dev.tally.verify.SignedNote.parse(c.note()).text())) {
            throw new IllegalArgumentException("the cosigned note is of another checkpoint");
        }
        return checkpoints.replace(new SignedCheckpoint(c.checkpoint(), cosigned, c.createdAt()), c.note());
    }

    /** The newest signed checkpoint. */
    public Optional<SignedCheckpoint> latestCheckpoint() {
        return checkpoints.latest();
    }

    /** The signed checkpoint of exactly {@code size} entries. */
    public Optional<SignedCheckpoint> checkpoint(long size) {
        return checkpoints.find(size);
    }

    /** Every signed checkpoint in the database, smallest size first. */
    public List<SignedCheckpoint> checkpoints() {
        return checkpoints.all();
    }

    /**
     * The stored root of {@code size}; where a checkpoint signed that size, the stored root must be the
     * signed one, else the tree was rewritten and nothing is served.
     */
    private byte[] signedRootOrStored(long size) {
        byte[] stored = StoredHashes.treeHash(size, tree);
        Optional<SignedCheckpoint> signed = checkpoints.find(size);
        if (signed.isPresent() && !Arrays.equals(signed.get().checkpoint().rootHash(), stored)) {
            throw new StoreException("the stored Merkle tree of " + store.describe()
                    + " does not reproduce the root signed at size " + size + ": run tally verify");
        }
        return stored;
    }

    private void requireSize(long size, String what) {
        long current = size();
        if (size < 0 || size > current) {
            throw outOfRange("%s %d is outside the ledger's tree (size %d)", what, size, current);
        }
    }

    private static ProofException outOfRange(String format, Object... args) {
        return new ProofException(
                ProofException.Reason.OUT_OF_RANGE, String.format(java.util.Locale.ROOT, format, args));
    }
}

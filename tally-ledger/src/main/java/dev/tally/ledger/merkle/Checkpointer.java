package dev.tally.ledger.merkle;

import dev.tally.core.error.StoreException;
import dev.tally.core.error.TallyException;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.LedgerStore;
import dev.tally.verify.Checkpoint;
import dev.tally.verify.Hashes;
import dev.tally.verify.NoteSigner;
import dev.tally.verify.Proofs;
import dev.tally.verify.StoredHashes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Takes signed checkpoints: the tree's size (the committed entries) and RFC 9162 root, as a C2SP
 * tlog-checkpoint whose origin is the signing key's name, in a C2SP signed-note signed with Ed25519. Each
 * checkpoint is stored in the {@code checkpoints} table and appended, durably, to the witness file, the
 * copy outside the database that an operator publishes.
 *
 * <p>Like a careful witness, it refuses to sign what it cannot vouch for: before signing size n it checks
 * that the stored tree includes the newest entry's hash as leaf n-1, and that the tree is consistent with
 * the newest checkpoint signed before (RFC 9162 §2.1.4). It never signs two roots for one size. A
 * checkpoint of a size already signed is not signed again; it is appended to the witness file only if the
 * file does not end with it. Thread-safe.
 */
public final class Checkpointer {
    private final LedgerStore store;
    private final NoteSigner signer;
    private final Optional<Path> witness;
    private final Clock clock;
    private final CheckpointRows rows;
    private final MerkleLog log;

    /**
     * A checkpointer signing with {@code signer} and appending to {@code witness} (none: the database only).
     */
    public Checkpointer(LedgerStore store, NoteSigner signer, Optional<Path> witness, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.witness = Objects.requireNonNull(witness, "witness");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rows = new CheckpointRows(store.checkpoints());
        this.log = new MerkleLog(store);
    }

    /**
     * Signs, stores and publishes a checkpoint of the ledger as committed now.
     *
     * @throws TallyException when the stored tree cannot be vouched for (see the class comment)
     * @throws StoreException when the database fails
     * @throws java.io.UncheckedIOException when the witness file cannot be written
     */
    public synchronized SignedCheckpoint checkpoint() {
        long size = log.size();
        byte[] root = StoredHashes.treeHash(size, store::readTreeHashes);
        Optional<SignedCheckpoint> existing = rows.find(size);
        if (existing.isPresent()) {
            if (!Hashes.toHex(existing.get().checkpoint().rootHash()).equals(Hashes.toHex(root))) {
                throw new TallyException("refusing to sign: size " + size + " was signed with root "
                        + Hashes.toHex(existing.get().checkpoint().rootHash()) + " but the stored tree now has root " + Hashes.toHex(root)
                        + "; the tree was rewritten: run tally verify");
            }
            witness.ifPresent(w -> publishIfMissing(w, existing.get()));
            return existing.get();
        }
        vouchFor(size, root);
        Checkpoint c = new Checkpoint(signer.name(), size, root);
        SignedCheckpoint signed = new SignedCheckpoint(c, signer.sign(c.body()), clock.instant().truncatedTo(ChronoUnit.MICROS));
        if (!rows.insert(signed)) {
            // Another process signed this size meanwhile: use its checkpoint, as if it had been there.
            return checkpoint();
        }
        witness.ifPresent(w -> WitnessFile.append(w, signed.note()));
        return signed;
    }

    /** The key that signs. */
    public NoteSigner signer() {
        return signer;
    }

    private void vouchFor(long size, byte[] root) {
        if (size > 0) {
            LedgerEntry newest = store.findEntryBySeq(size).orElseThrow(() -> new TallyException(
                    "refusing to sign: the newest entry #" + size + " is missing: run tally verify"));
            List<byte[]> path = Proofs.proveInclusion(size, size - 1, store::readTreeHashes);
            if (!Proofs.verifyInclusion(size - 1, size, Hashes.leafHash(newest.currentHash().bytes()), path, root)) {
                throw new TallyException("refusing to sign: the stored Merkle tree does not include entry #" + size
                        + " as its last leaf: run tally verify");
            }
        }
        Optional<SignedCheckpoint> previous = rows.latest();
        if (previous.isPresent() && previous.get().size() < size) {
            long size1 = previous.get().size();
            List<byte[]> proof = Proofs.proveConsistency(size1, size, store::readTreeHashes);
            if (!Proofs.verifyConsistency(size1, size, previous.get().checkpoint().rootHash(), root, proof)) {
                throw new TallyException("refusing to sign: the tree of " + size + " entries is not consistent with the checkpoint"
                        + " signed at size " + size1 + "; history was rewritten: run tally verify");
            }
        } else if (previous.isPresent() && previous.get().size() > size) {
            throw new TallyException("refusing to sign: a checkpoint was signed at size " + previous.get().size()
                    + " but the ledger holds only " + size + " entries; it was truncated: run tally verify");
        }
    }

    private static void publishIfMissing(Path file, SignedCheckpoint c) {
        List<String> published = java.nio.file.Files.exists(file) ? WitnessFile.read(file) : List.of();
        if (published.isEmpty() || !published.get(published.size() - 1).equals(c.note())) {
            WitnessFile.append(file, c.note());
        }
    }
}

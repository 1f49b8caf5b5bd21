package dev.tally.ledger.merkle;

import dev.tally.core.error.StoreException;
import dev.tally.core.error.TallyException;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.CheckpointRow;
import dev.tally.core.store.LedgerStore;
import dev.tally.verify.Checkpoint;
import dev.tally.verify.Hashes;
import dev.tally.verify.NoteSigner;
import dev.tally.verify.NoteVerifier;
import dev.tally.verify.Proofs;
import dev.tally.verify.StoredHashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes signed checkpoints: the tree's size (the committed entries) and RFC 9162 root, as a C2SP
 * tlog-checkpoint whose origin is the signing key's name, in a C2SP signed-note signed with Ed25519. Each
 * checkpoint is appended, durably, to the witness file (the copy outside the database that an operator
 * publishes) and then stored in the {@code checkpoints} table.
 *
 * <p>Like a careful witness, it refuses to sign what it cannot vouch for: before signing size n it checks
 * that the stored tree includes the newest entry's hash as leaf n-1, and that the tree is consistent with
 * the newest checkpoint signed before (RFC 9162 §2.1.4). It never signs two roots for one size.
 *
 * <p>It trusts nothing in the database that its key did not sign: a stored row whose note does not verify
 * with the signing key (forged, or by another key) is ignored, never published and never in the way; a
 * row of the size being signed that does not verify is replaced. It signs only with the key the ledger's
 * checkpoints are signed with (the first one pins itself; another must be rotated in, see
 * {@link #checkpoint(boolean)}). A checkpoint stored but missing from the witness file (a crash between the
 * two, or a file restored from an old copy) is appended on the next run, in order. Thread-safe.
 */
public final class Checkpointer {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
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
     * Signs, publishes and stores a checkpoint of the ledger as committed now, with the ledger's signing key.
     *
     * @throws TallyException when the stored tree cannot be vouched for (see the class comment), or the key
     *     is not the one the ledger's checkpoints are signed with
     * @throws StoreException when the database fails
     * @throws java.io.UncheckedIOException when the witness file cannot be written
     */
    public SignedCheckpoint checkpoint() {
        return checkpoint(false);
    }

    /**
     * As {@link #checkpoint()}; with {@code rotateKey}, this signer's key replaces the one the ledger's
     * checkpoints were signed with (recorded in {@code checkpoint_keys}), and signs from now on.
     */
    public synchronized SignedCheckpoint checkpoint(boolean rotateKey) {
        NoteVerifier key = signer.verifier();
        List<CheckpointRow> stored = rows.raw();
        requireSigningKey(key, stored, rotateKey);
        witness.ifPresent(w -> publishMissing(w, stored, key));
        long size = log.size();
        byte[] root = StoredHashes.treeHash(size, store::readTreeHashes);
        Optional<SignedCheckpoint> existing = at(stored, size, key);
        if (existing.isPresent()) {
            if (!Hashes.toHex(existing.get().checkpoint().rootHash()).equals(Hashes.toHex(root))) {
                throw new TallyException("refusing to sign: size " + size + " was signed with root "
                        + Hashes.toHex(existing.get().checkpoint().rootHash()) + " but the stored tree now has root "
                        + Hashes.toHex(root)
                        + "; the tree was rewritten: run tally verify");
            }
            return existing.get();
        }
        vouchFor(size, root, newest(stored, key));
        Checkpoint c = new Checkpoint(signer.name(), size, root);
        SignedCheckpoint signed =
                new SignedCheckpoint(c, signer.sign(c.body()), clock.instant().truncatedTo(ChronoUnit.MICROS));
        // The witness file first: a crash before the database leaves a published note, which is true; the
        // other order could leave a stored checkpoint the operator never published.
        witness.ifPresent(w -> publishIfMissing(w, signed.note()));
        return store(signed, key);
    }

    /** Stores a new checkpoint, replacing a row of its size that its key does not verify. */
    private SignedCheckpoint store(SignedCheckpoint signed, NoteVerifier key) {
        if (rows.insert(signed)) {
            return signed;
        }
        Optional<CheckpointRow> there =
                rows.raw().stream().filter(n -> n.treeSize() == signed.size()).findFirst();
        if (there.isEmpty()) {
            return store(signed, key);
        }
        Optional<SignedCheckpoint> theirs = verified(there.get(), key);
        if (theirs.isPresent()) {
            // Another process signed this size meanwhile, with this key: the same checkpoint.
            return theirs.get();
        }
        LOG.warn(
                "[CHECKPOINT] the stored checkpoint of size {} does not verify with key {}: replaced by the one signed now",
                signed.size(),
                describe(key.verifierKey()));
        if (!rows.replace(signed, there.get().note())) {
            throw new StoreException(
                    "the stored checkpoint of size " + signed.size() + " changed while it was being replaced");
        }
        return signed;
    }

    /**
     * Signs only with the key the ledger's checkpoints are signed with. The first key pins itself, unless
     * checkpoints are stored and none verifies with it (a ledger checkpointed before keys were recorded);
     * another key is refused unless {@code rotate}.
     */
    private void requireSigningKey(NoteVerifier key, List<CheckpointRow> stored, boolean rotate) {
        String mine = key.verifierKey();
        List<String> recorded = rows.signingKeys();
        if (!recorded.isEmpty() && recorded.get(recorded.size() - 1).equals(mine)) {
            return;
        }
        if (!rotate) {
            if (!recorded.isEmpty()) {
                throw new TallyException("refusing to sign with key " + describe(mine)
                        + ": the ledger's checkpoints are signed with key "
                        + describe(recorded.get(recorded.size() - 1))
                        + "; if the key was replaced on purpose, run tally checkpoint"
                        + " --rotate-key");
            }
            if (!stored.isEmpty()
                    && stored.stream().noneMatch(n -> verified(n, key).isPresent())) {
                throw new TallyException(
                        "refusing to sign with key " + describe(mine) + ": none of the " + stored.size()
                                + " stored checkpoints verifies with it; if the key was replaced on purpose, run tally checkpoint --rotate-key");
            }
        } else {
            LOG.warn("[CHECKPOINT] the checkpoint signing key is rotated to {}", describe(mine));
        }
        rows.recordSigningKey(mine, clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    /** Appends every stored checkpoint the key signed that the witness file lacks, smallest size first. */
    private static void publishMissing(Path file, List<CheckpointRow> stored, NoteVerifier key) {
        Set<String> published = new HashSet<>(Files.exists(file) ? WitnessFile.read(file) : List.of());
        for (CheckpointRow n : stored) {
            if (!published.contains(n.note()) && verified(n, key).isPresent()) {
                LOG.warn(
                        "[CHECKPOINT] the checkpoint of size {} was stored but not in the witness file {}: appended now",
                        n.treeSize(),
                        file);
                WitnessFile.append(file, n.note());
                published.add(n.note());
            }
        }
    }

    private static void publishIfMissing(Path file, String note) {
        List<String> published = Files.exists(file) ? WitnessFile.read(file) : List.of();
        if (!published.contains(note)) {
            WitnessFile.append(file, note);
        }
    }

    /** The stored checkpoint of {@code size}, if the key verifies it. */
    private static Optional<SignedCheckpoint> at(List<CheckpointRow> stored, long size, NoteVerifier key) {
        return stored.stream().filter(n -> n.treeSize() == size).findFirst().flatMap(n -> verified(n, key));
    }

    /** The largest stored checkpoint the key verifies. */
    private static Optional<SignedCheckpoint> newest(List<CheckpointRow> stored, NoteVerifier key) {
        for (int i = stored.size() - 1; i >= 0; i--) {
            Optional<SignedCheckpoint> c = verified(stored.get(i), key);
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    /** A stored note as a checkpoint, if it is one of this log, of its row's size, signed by the key. */
    static Optional<SignedCheckpoint> verified(CheckpointRow n, NoteVerifier key) {
        try {
            Checkpoint c = key.open(n.note()).checkpoint();
            if (!c.origin().equals(key.name()) || c.size() != n.treeSize()) {
                return Optional.empty();
            }
            return Optional.of(new SignedCheckpoint(c, n.note(), n.createdAt()));
        } catch (RuntimeException notSignedByKey) {
            return Optional.empty();
        }
    }

    /** A verifier key text without its public key: {@code name+keyid}. */
    private static String describe(String verifierKey) {
        try {
            NoteVerifier v = NoteVerifier.fromVerifierKey(verifierKey);
            return v.name() + "+" + String.format("%08x", v.keyId());
        } catch (RuntimeException notAKey) {
            return "(an unreadable key: " + verifierKey.length() + " characters)";
        }
    }

    /** The key that signs. */
    public NoteSigner signer() {
        return signer;
    }

    private void vouchFor(long size, byte[] root, Optional<SignedCheckpoint> previous) {
        if (size > 0) {
            LedgerEntry newest = store.findEntryBySeq(size)
                    .orElseThrow(() -> new TallyException(
                            "refusing to sign: the newest entry #" + size + " is missing: run tally verify"));
            List<byte[]> path = Proofs.proveInclusion(size, size - 1, store::readTreeHashes);
            if (!Proofs.verifyInclusion(
                    size - 1, size, Hashes.leafHash(newest.currentHash().bytes()), path, root)) {
                throw new TallyException("refusing to sign: the stored Merkle tree does not include entry #" + size
                        + " as its last leaf: run tally verify");
            }
        }
        if (previous.isPresent() && previous.get().size() < size) {
            long size1 = previous.get().size();
            List<byte[]> proof = Proofs.proveConsistency(size1, size, store::readTreeHashes);
            if (!Proofs.verifyConsistency(
                    size1, size, previous.get().checkpoint().rootHash(), root, proof)) {
                throw new TallyException(
                        "refusing to sign: the tree of " + size + " entries is not consistent with the checkpoint"
                                + " signed at size " + size1 + "; history was rewritten: run tally verify");
            }
        } else if (previous.isPresent() && previous.get().size() > size) {
            throw new TallyException("refusing to sign: a checkpoint was signed at size "
                    + previous.get().size() + " but the ledger holds only " + size
                    + " entries; it was truncated: run tally verify");
        }
    }
}

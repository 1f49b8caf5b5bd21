package dev.tally.ledger;

import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.merkle.AutoCheckpoints;
import dev.tally.ledger.merkle.Checkpointer;
import dev.tally.ledger.merkle.MerkleLog;
import dev.tally.ledger.merkle.SignedCheckpoint;
import dev.tally.verify.NoteSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The ledger as an RFC 9162 verifiable log: its Merkle tree (size, roots, inclusion and consistency
 * proofs) and the signed checkpoints that vouch for a size and root. Thread-safe; obtained from
 * {@link Ledger#log()}.
 */
public final class LedgerLog {
    private final LedgerStore store;
    private final Clock clock;
    private final Optional<Checkpointer> configured;
    private final Optional<AutoCheckpoints> automatic;

    LedgerLog(LedgerStore store, Clock clock, Optional<Checkpointer> configured, Optional<AutoCheckpoints> automatic) {
        this.store = store;
        this.clock = clock;
        this.configured = configured;
        this.automatic = automatic;
    }

    /** The tree: size, roots, proofs, and the stored checkpoints. */
    public MerkleLog merkleLog() {
        return new MerkleLog(store);
    }

    /** The tree as C2SP tlog-tiles: hash tiles and entry bundles up to the newest checkpoint. */
    public dev.tally.ledger.merkle.Tiles tiles() {
        return new dev.tally.ledger.merkle.Tiles(store);
    }

    /**
     * Signs, stores and appends to the witness file a checkpoint of the ledger as committed now, with the
     * configured key ({@link LedgerConfig#checkpoints()}).
     *
     * @throws IllegalStateException when no checkpoint key is configured
     */
    public SignedCheckpoint checkpoint() {
        return configured
                .orElseThrow(() -> new IllegalStateException("no checkpoint key is configured for this ledger"))
                .checkpoint();
    }

    /**
     * Signs with {@code signer}, stores and, when a witness file is given, appends a checkpoint of the ledger
     * as committed now (see {@link Checkpointer}).
     */
    public SignedCheckpoint checkpoint(NoteSigner signer, Optional<Path> witness) {
        return checkpoint(signer, witness, false);
    }

    /**
     * As {@link #checkpoint(NoteSigner, Optional)}; with {@code rotateKey}, {@code signer}'s key replaces the
     * key the ledger's checkpoints were signed with (a key other than the ledger's is refused otherwise).
     */
    public SignedCheckpoint checkpoint(NoteSigner signer, Optional<Path> witness, boolean rotateKey) {
        return new Checkpointer(store, signer, witness, clock).checkpoint(rotateKey);
    }

    /** The automatic checkpoints' last failure, if the last attempt failed. */
    public Optional<RuntimeException> checkpointFailure() {
        return automatic.flatMap(AutoCheckpoints::lastFailure);
    }
}

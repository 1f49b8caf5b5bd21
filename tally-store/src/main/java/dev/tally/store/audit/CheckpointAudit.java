package dev.tally.store.audit;

import dev.tally.core.audit.CheckpointCheck;
import dev.tally.core.audit.CheckpointVerifier;
import dev.tally.core.audit.Finding;
import dev.tally.core.audit.FindingType;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.LedgerStore;
import dev.tally.store.internal.jdbc.Dialect;
import dev.tally.store.internal.jdbc.JdbcLedgerStore;
import dev.tally.verify.HashReader;
import dev.tally.verify.Hashes;
import dev.tally.verify.Proofs;
import dev.tally.verify.StoredHashes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The checkpoint step of chain verification ({@link VerifyOptions#checkpoints()}): checks a ledger in a
 * store against signed checkpoints with the core's {@link CheckpointVerifier}.
 * <ul>
 *   <li><b>Full</b>: streams every entry's {@code current_hash} in seq order and recomputes the root at
 *       every signed size from them (never from the stored tree, which whoever rewrote the entries could
 *       rewrite too). It then also checks the stored tree against the entries at the chain head
 *       ({@code MERKLE_TREE_MISMATCH}): proofs are served from it.</li>
 *   <li><b>Incremental</b>: starts from the newest checkpoint C (size S) whose signature verified and which
 *       the ledger covers. The stored entry #S must be leaf S-1 of C's signed tree (an inclusion proof from
 *       the stored tree, checked against the signed root), and every other signed checkpoint must be
 *       consistent with C (RFC 9162 §2.1.4). Entries up to #S are bound to C through the hash chain, which
 *       an earlier full run verified, so rewriting any of them and recomputing the hashes after it changes
 *       entry #S and fails the proof; O(k log n) reads for k checkpoints instead of a pass over the ledger.</li>
 * </ul>
 * Both report every bad signature and a ledger shorter than the largest signed size ({@code TRUNCATED}).
 * Thread-safe; reads only.
 */
public final class CheckpointAudit {
    private final LedgerStore store;
    private final HashReader tree;

    public CheckpointAudit(LedgerStore store) {
        this.store = store;
        this.tree = store::readTreeHashes;
    }

    /** The findings of checking the ledger against {@code check}, in a full or incremental run. */
    public List<Finding> check(CheckpointCheck check, VerifyOptions.Mode mode) {
        CheckpointVerifier verifier = new CheckpointVerifier(check);
        return mode == VerifyOptions.Mode.FULL ? full(verifier) : incremental(verifier);
    }

    private List<Finding> full(CheckpointVerifier verifier) {
        long[] newest = {0};
        streamHashes((seq, hash) -> {
            newest[0] = seq;
            verifier.accept(seq, hash);
        });
        List<Finding> out = new ArrayList<>(verifier.finish(newest[0]));
        long head = store.loadHead().seq();
        if (head == newest[0] && verifier.size() == head) {
            storedTreeCheck(head, verifier.root()).ifPresent(out::add);
        }
        return out;
    }

    // A checkpoint is compared with every other one: identity, not equality, skips itself.
    @SuppressWarnings("ReferenceEquality")
    private List<Finding> incremental(CheckpointVerifier verifier) {
        long newest = newestSeq();
        List<Finding> out = new ArrayList<>(verifier.signatureFindings());
        Optional<CheckpointVerifier.Signed> start = verifier.newestWithin(newest);
        if (start.isPresent()) {
            CheckpointVerifier.Signed c = start.get();
            long size = c.checkpoint().size();
            byte[] root = c.checkpoint().rootHash();
            if (size > 0) {
                Optional<LedgerEntry> last = store.findEntryBySeq(size);
                // The archived boundary's entry is gone from the database; its recorded hash stands in for it.
                Optional<byte[]> lastHash = last.map(e -> e.currentHash().bytes())
                        .or(() -> store.archives()
                                .boundary()
                                .filter(b -> b.lastSeq() == size)
                                .map(b -> b.lastHash().bytes()));
                if (lastHash.isEmpty()) {
                    out.add(verifier.mismatch(c, Optional.empty(), "transaction #" + size + " is missing"));
                } else if (!included(size, lastHash.get(), root)) {
                    out.add(verifier.mismatch(
                            c,
                            Optional.empty(),
                            "transaction #" + size
                                    + last.map(e -> " (" + e.transactionId() + ")")
                                            .orElse("")
                                    + " is not the last leaf of the signed tree: history up to it was rewritten"));
                }
            }
            for (CheckpointVerifier.Signed d : verifier.verified()) {
                long size1 = d.checkpoint().size();
                if (d != c
                        && size1 <= size
                        && !consistent(size1, size, d.checkpoint().rootHash(), root)) {
                    out.add(verifier.mismatch(
                            d,
                            Optional.empty(),
                            "it is not a prefix of checkpoint " + c.position() + " (size " + size + ")"));
                }
            }
        }
        verifier.truncation(newest).ifPresent(out::add);
        return out;
    }

    private boolean included(long size, byte[] lastHash, byte[] signedRoot) {
        try {
            return Proofs.verifyInclusion(
                    size - 1, size, Hashes.leafHash(lastHash), Proofs.proveInclusion(size, size - 1, tree), signedRoot);
        } catch (StoreException missingHashes) {
            return false;
        }
    }

    private boolean consistent(long size1, long size2, byte[] root1, byte[] root2) {
        try {
            return Proofs.verifyConsistency(size1, size2, root1, root2, Proofs.proveConsistency(size1, size2, tree));
        } catch (StoreException missingHashes) {
            return false;
        }
    }

    /** {@code MERKLE_TREE_MISMATCH} when the stored tree's root at the head is not the one the entries give. */
    private Optional<Finding> storedTreeCheck(long size, byte[] recomputed) {
        String stored;
        try {
            stored = Hashes.toHex(StoredHashes.treeHash(size, tree));
        } catch (StoreException | IllegalStateException e) {
            stored = "unreadable (" + e.getMessage() + ")";
        }
        if (stored.equals(Hashes.toHex(recomputed))) {
            return Optional.empty();
        }
        return Optional.of(new Finding(
                FindingType.MERKLE_TREE_MISMATCH,
                OptionalLong.of(Math.max(size, 1)),
                Optional.empty(),
                "The stored Merkle tree of " + size
                        + " transactions does not match the transactions: proofs served from it are wrong",
                Map.of(
                        "merkle_tree",
                        Map.of(
                                "tree_size",
                                size,
                                "stored_root",
                                stored,
                                "recomputed_root",
                                Hashes.toHex(recomputed)))));
    }

    /** Receives one entry's position and stored hash. */
    @FunctionalInterface
    private interface HashSink {
        void accept(long seq, byte[] currentHash);
    }

    /** Every entry with seq ≥ 1, in seq order: only two columns on a JDBC store. */
    private void streamHashes(HashSink sink) {
        if (store instanceof JdbcLedgerStore jdbc) {
            try (Connection c = jdbc.dataSource().getConnection()) {
                // A PostgreSQL cursor needs a transaction; on SQLite ours are IMMEDIATE and would lock the writer out.
                boolean cursor = jdbc.dialect() == Dialect.POSTGRES;
                if (cursor) {
                    c.setAutoCommit(false);
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT seq, current_hash FROM ledger_entries WHERE seq >= 1 ORDER BY seq")) {
                    ps.setFetchSize(10_000);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            sink.accept(rs.getLong(1), rs.getBytes(2));
                        }
                    }
                } finally {
                    if (cursor) {
                        c.rollback();
                        c.setAutoCommit(true);
                    }
                }
            } catch (SQLException e) {
                throw new StoreException("reading the entries' hashes failed: " + e.getMessage(), e);
            }
        } else {
            store.streamEntries(1, Long.MAX_VALUE, e -> {
                sink.accept(e.seq(), e.currentHash().bytes());
                return true;
            });
        }
    }

    private long newestSeq() {
        if (store instanceof JdbcLedgerStore jdbc) {
            try (Connection c = jdbc.dataSource().getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT max(seq) FROM ledger_entries");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            } catch (SQLException e) {
                throw new StoreException("reading the newest entry failed: " + e.getMessage(), e);
            }
        }
        return store.loadHead().seq();
    }
}

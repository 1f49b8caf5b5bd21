package dev.tally.store.export;

import dev.tally.core.account.Account;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.error.TallyException;
import dev.tally.core.ledger.Hash;
import dev.tally.core.store.LedgerRestore;
import dev.tally.core.store.SnapshotStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The second pass of an import: every record of an audited export into one {@link LedgerRestore}
 * transaction (the Merkle tree is rebuilt from the entries), committed only if the bytes read now are the
 * bytes the {@link ExportAudit} read.
 */
public final class ExportRestorer {
    /** Why an import wrote nothing: the store is not empty, or the file changed after its audit. */
    public static final class RefusedException extends TallyException {
        RefusedException(String message) {
            super(message);
        }

        RefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ExportRestorer() {}

    /**
     * Restores the file {@code audit} audited into {@code store}.
     *
     * @param audit an audit of the file with its digest ({@code digest} true), which must be valid
     * @throws RefusedException when the store is not empty or the file changed since the audit; nothing is written
     */
    public static void restore(SnapshotStore store, ExportAudit.Result audit) {
        if (!audit.valid() || audit.sha256().isEmpty()) {
            throw new IllegalArgumentException("only a valid audit with the file's digest can be restored");
        }
        LedgerRestore restore;
        try {
            restore = store.restore(audit.treasury());
        } catch (IllegalStateException notEmpty) {
            throw new RefusedException(String.valueOf(notEmpty.getMessage()), notEmpty);
        }
        try (restore) {
            for (Account a : audit.accounts()) {
                restore.account(a);
            }
            MessageDigest sha = sha256();
            EntryLine parser = new EntryLine(audit.currencies());
            try (InputStream raw = Files.newInputStream(audit.file());
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(new DigestInputStream(raw, sha), StandardCharsets.UTF_8), 1 << 20)) {
                String line;
                while ((line = in.readLine()) != null) {
                    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                    if (EntryLine.isEntry(bytes, 0, bytes.length)) {
                        restore.entry(parser.parse(bytes, 0, bytes.length));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + audit.file() + ": " + e.getMessage(), e);
            }
            for (ExportAudit.CheckpointRecord c : audit.checkpoints()) {
                restore.checkpoint(c.treeSize(), c.rootHash(), c.note(), c.createdAt());
            }
            for (ExportAudit.BalanceRecord b : audit.balances()) {
                restore.balance(b.account(), b.currency(), b.amount());
            }
            audit.treasuryTotals().forEach((k, v) -> restore.treasuryTotal(k.currency(), k.kind(), v));
            audit.supply().forEach((code, s) -> restore.supply(code, s.minted(), s.burned()));
            restore.controls(audit.controls());
            if (!Arrays.equals(sha.digest(), audit.sha256().orElseThrow())) {
                throw new RefusedException(audit.file() + " changed after it was audited; nothing was written");
            }
            restore.commit(new ChainHead(
                    audit.entries(),
                    audit.entries() == 0
                            ? Hash.ZERO
                            : Hash.ofHex(audit.header().path("head_hash").asText())));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}

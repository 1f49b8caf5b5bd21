package dev.tally.cli.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.CliException;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.FileChecks;
import dev.tally.cli.TallyCli;
import dev.tally.cli.json.Views;
import dev.tally.cli.merkle.OfflineCommand;
import dev.tally.core.account.Account;
import dev.tally.core.audit.CheckpointCheck;
import dev.tally.core.audit.ReconciliationReport;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.Rules;
import dev.tally.core.ledger.Hash;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.store.Stores;
import dev.tally.store.jdbc.JdbcLedgerStore;
import dev.tally.store.jdbc.Restore;
import dev.tally.store.merkle.SignerKeys;
import dev.tally.verify.NoteVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tally import}: restores an export into an empty store, the seed's "verify after database
 * restore". It audits the whole file first ({@link ExportAudit}) and refuses one that fails any check; it
 * then reads the file again, writes everything in one transaction (the Merkle tree is rebuilt from the
 * entries), and commits only if the bytes read the second time are the bytes that were audited. Finally it
 * opens the restored ledger and verifies and reconciles it, with its checkpoints.
 */
@Command(name = "import", sortOptions = false,
        description = {"Restore an export into an empty store, after verifying everything in it.",
            "A file that fails any check is refused and nothing is written."})
public final class ImportCommand extends OfflineCommand {
    @Parameters(paramLabel = "FILE", description = "The export (tally export).")
    Path file;

    @Option(names = "--public-key", paramLabel = "FILE", order = 1,
            description = "The log's public key file (tally keygen); required when the export holds checkpoints.")
    Path publicKey;

    @Option(names = "--db", paramLabel = "DB", required = false, order = 2,
            description = "The empty store to restore into: a SQLite file path or a PostgreSQL URL.")
    String db;

    @Override
    protected int run() throws IOException {
        Optional<String> rootDb = spec.root().userObject() instanceof TallyCli root ? root.options().explicitLocation() : Optional.empty();
        String target = Optional.ofNullable(db).filter(s -> !s.isBlank()).or(() -> rootDb)
                .orElseThrow(() -> CliException.usage("--db names the empty store to restore into"));
        Optional<NoteVerifier> key = Optional.ofNullable(publicKey).map(k -> SignerKeys.loadVerifier(FileChecks.readable(k, "the public key")));
        ExportAudit.Result audit = AuditCommand.audit(file, key, true, Optional.empty(), err());
        if (!audit.valid()) {
            err().println(AuditCommand.summary(audit));
            throw new CliException(ExitCodes.REJECTED, "refusing to import " + file + ": it failed the audit; nothing was written");
        }
        Rules rules = Rules.defaults().withCurrencies(audit.currencies());
        if (!rules.treasuryId().equals(audit.treasury())) {
            rules = new Rules(audit.currencies(), rules.taxPolicy(), audit.treasury(), rules.fraudPolicy());
        }
        long t0 = System.nanoTime();
        try (JdbcLedgerStore store = Stores.open(target)) {
            restore(store, audit);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        VerificationReport verified;
        ReconciliationReport reconciled;
        try (Ledger ledger = Ledger.open(LedgerConfig.defaults().withLocation(target).withRules(rules))) {
            VerifyOptions verify = VerifyOptions.full();
            if (key.isPresent() && !audit.checkpoints().isEmpty()) {
                verify = verify.withCheckpoints(new CheckpointCheck(key.get(),
                        audit.checkpoints().stream().map(ExportAudit.CheckpointRecord::note).toList(), "the imported checkpoints"));
            }
            verified = ledger.verifyChainIntegrity(verify);
            reconciled = ledger.reconcile();
        }
        if (!verified.valid() || !reconciled.valid()) {
            throw new CliException(ExitCodes.USAGE, "the restored ledger does not verify: " + (verified.valid() ? reconciled.message()
                    : verified.message()));
        }
        if (json()) {
            ObjectNode n = Views.object();
            n.put("imported", true);
            n.put("file", file.toString());
            n.put("entries", audit.entries());
            n.put("accounts", audit.accounts().size());
            n.put("checkpoints", audit.checkpoints().size());
            n.put("audit_ms", audit.elapsed().toMillis());
            n.put("restore_ms", Math.round(seconds * 1000));
            n.put("verified", verified.message());
            n.put("reconciled", reconciled.message());
            printJson(n);
        } else {
            print(String.format(Locale.ROOT, "Imported %,d entries, %,d accounts and %,d checkpoints from %s (audit %.1f s, restore %.1f s)%n%s%n%s",
                    audit.entries(), audit.accounts().size(), audit.checkpoints().size(), file, audit.elapsed().toMillis() / 1e3,
                    seconds, verified.message(), reconciled.message()));
        }
        return ExitCodes.OK;
    }

    /** The second pass: every record into one transaction, committed only if the file did not change since the audit. */
    private static void restore(JdbcLedgerStore store, ExportAudit.Result audit) throws IOException {
        Restore restore;
        try {
            restore = Restore.begin(store, audit.treasury());
        } catch (IllegalStateException notEmpty) {
            throw new CliException(ExitCodes.REJECTED, "refusing to import: " + notEmpty.getMessage(), notEmpty);
        }
        try (restore) {
            for (Account a : audit.accounts()) {
                restore.account(a);
            }
            MessageDigest sha = sha256();
            EntryLine parser = new EntryLine(audit.currencies());
            try (InputStream raw = Files.newInputStream(audit.file());
                 BufferedReader in = new BufferedReader(new java.io.InputStreamReader(new DigestInputStream(raw, sha), StandardCharsets.UTF_8), 1 << 20)) {
                String line;
                while ((line = in.readLine()) != null) {
                    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                    if (EntryLine.isEntry(bytes, 0, bytes.length)) {
                        restore.entry(parser.parse(bytes, 0, bytes.length));
                    }
                }
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
                throw new CliException(ExitCodes.REJECTED, "refusing to import: " + audit.file() + " changed after it was audited; nothing was written");
            }
            restore.commit(new ChainHead(audit.entries(), audit.entries() == 0 ? Hash.ZERO
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

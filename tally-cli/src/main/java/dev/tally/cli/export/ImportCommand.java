package dev.tally.cli.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.CliException;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.FileChecks;
import dev.tally.cli.TallyCli;
import dev.tally.cli.merkle.OfflineCommand;
import dev.tally.core.audit.CheckpointCheck;
import dev.tally.core.audit.ReconciliationReport;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.engine.Rules;
import dev.tally.core.store.LedgerStore;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.store.Stores;
import dev.tally.store.export.ExportAudit;
import dev.tally.store.export.ExportRestorer;
import dev.tally.verify.NoteVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
@Command(
        name = "import",
        sortOptions = false,
        description = {
            "Restore an export into an empty store, after verifying everything in it.",
            "A file that fails any check is refused and nothing is written."
        })
public final class ImportCommand extends OfflineCommand {
    @Parameters(paramLabel = "FILE", description = "The export (tally export).")
    Path file;

    @Option(
            names = "--public-key",
            paramLabel = "FILE",
            order = 1,
            description = "The log's public key file (tally keygen); required when the export holds checkpoints.")
    Path publicKey;

    @Option(
            names = "--witness",
            paramLabel = "FILE",
            order = 2,
            description =
                    "The published witness file (tally checkpoint): the export must match its checkpoints too; needs --public-key.")
    Path witnessFile;

    @Option(
            names = "--db",
            paramLabel = "DB",
            required = false,
            order = 3,
            description = "The empty store to restore into: a SQLite file path or a PostgreSQL URL.")
    String db;

    @Override
    protected int run() throws IOException {
        Optional<String> rootDb = spec.root().userObject() instanceof TallyCli root
                ? root.options().explicitLocation()
                : Optional.empty();
        String target = Optional.ofNullable(db)
                .filter(s -> !s.isBlank())
                .or(() -> rootDb)
                .orElseThrow(() -> CliException.usage("--db names the empty store to restore into"));
        Optional<NoteVerifier> key = Optional.ofNullable(publicKey)
                .map(k -> SignerKeys.loadVerifier(FileChecks.readable(k, "the public key")));
        ExportAudit.Witness witness = AuditCommand.witness(witnessFile, key);
        ExportAudit.Result audit = AuditCommand.audit(file, key, witness, true, Optional.empty(), err());
        if (!audit.valid()) {
            err().println(AuditCommand.summary(audit));
            throw new CliException(
                    ExitCodes.REJECTED, "refusing to import " + file + ": it failed the audit; nothing was written");
        }
        Rules rules = Rules.defaults().withCurrencies(audit.currencies());
        if (!rules.treasuryId().equals(audit.treasury())) {
            rules = new Rules(audit.currencies(), rules.taxPolicy(), audit.treasury(), rules.fraudPolicy());
        }
        long t0 = System.nanoTime();
        try (LedgerStore store = Stores.open(target)) {
            ExportRestorer.restore(store, audit);
        } catch (ExportRestorer.RefusedException refused) {
            throw new CliException(ExitCodes.REJECTED, "refusing to import: " + refused.getMessage(), refused);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        VerificationReport verified;
        ReconciliationReport reconciled;
        try (Ledger ledger =
                Ledger.open(LedgerConfig.defaults().withLocation(target).withRules(rules))) {
            VerifyOptions verify = VerifyOptions.full();
            List<String> notes = new ArrayList<>(audit.checkpoints().stream()
                    .map(ExportAudit.CheckpointRecord::note)
                    .toList());
            notes.addAll(witness.notes());
            if (key.isPresent() && !notes.isEmpty()) {
                verify = verify.withCheckpoints(
                        new CheckpointCheck(key.get(), notes, "the imported checkpoints and the witness file"));
            }
            verified = ledger.audit().verifyChainIntegrity(verify);
            reconciled = ledger.audit().reconcile();
        }
        if (!verified.valid() || !reconciled.valid()) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "the restored ledger does not verify: "
                            + (verified.valid() ? reconciled.message() : verified.message()));
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
            print(String.format(
                    Locale.ROOT,
                    "Imported %,d entries, %,d accounts and %,d checkpoints from %s (audit %.1f s, restore %.1f s)%n%s%n%s",
                    audit.entries(),
                    audit.accounts().size(),
                    audit.checkpoints().size(),
                    file,
                    audit.elapsed().toMillis() / 1e3,
                    seconds,
                    verified.message(),
                    reconciled.message()));
        }
        return ExitCodes.OK;
    }
}

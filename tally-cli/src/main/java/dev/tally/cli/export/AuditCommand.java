package dev.tally.cli.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.CliException;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.Failures;
import dev.tally.cli.FileChecks;
import dev.tally.cli.merkle.OfflineCommand;
import dev.tally.cli.text.ProgressBar;
import dev.tally.cli.text.TextTable;
import dev.tally.core.audit.Finding;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.json.Reports;
import dev.tally.json.Views;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.ledger.merkle.WitnessFile;
import dev.tally.store.export.ExportAudit;
import dev.tally.verify.NoteVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tally audit}: verifies an export with no database (see {@link ExportAudit}): every entry's hash,
 * the chain and the sequence, every signed checkpoint's root and signature, and a replay of balances,
 * treasury totals and supply. Exits 0 when it all holds, 1 when something does not (the report names the
 * entry and its line), 2 when the file is not a readable export.
 */
@Command(
        name = "audit",
        sortOptions = false,
        description = {
            "Verify an export file offline: hashes, chain, sequence, Merkle roots against the signed",
            "checkpoints, and a replay of balances, treasury and supply. No database needed.",
            "Exit code 0: valid; 1: not valid; 2: could not audit (a bad option, an unreadable file or key, not an export)."
        })
public final class AuditCommand extends OfflineCommand {
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
                    "The published witness file (tally checkpoint): its checkpoints are checked too, so an export stripped of its"
                            + " own still has to match them; needs --public-key.")
    Path witness;

    @Option(names = "--threads", paramLabel = "N", order = 3, description = "Worker threads (default: one per core).")
    Integer threads;

    @Override
    protected int run() {
        Optional<NoteVerifier> key = Optional.ofNullable(publicKey)
                .map(k -> SignerKeys.loadVerifier(FileChecks.readable(k, "the public key")));
        ExportAudit.Result result = audit(file, key, witness(witness, key), false, Optional.ofNullable(threads), err());
        if (json()) {
            printJson(report(result));
        } else {
            print(summary(result));
        }
        return result.valid() ? ExitCodes.OK : ExitCodes.REJECTED;
    }

    /** Runs the offline audit with a progress bar; a malformed export is a usage failure (exit 2). */
    static ExportAudit.Result audit(
            Path file,
            Optional<NoteVerifier> key,
            ExportAudit.Witness witness,
            boolean digest,
            Optional<Integer> threads,
            java.io.PrintWriter err) {
        FileChecks.readable(file, "the export");
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "cannot read " + file + ": "
                            + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()),
                    e);
        }
        int n = threads.orElseGet(Runtime.getRuntime()::availableProcessors);
        if (n < 1 || n > 64) {
            throw CliException.usage("--threads must be 1-64");
        }
        AtomicLong read = new AtomicLong();
        ProgressBar bar = ProgressBar.start(err, "auditing", size, read::get);
        try {
            return new ExportAudit(n, VerifyOptions.DEFAULT_MAX_FINDINGS, Clock.systemUTC())
                    .audit(file, key, witness, digest, read);
        } catch (ExportAudit.MalformedExportException e) {
            throw new CliException(ExitCodes.USAGE, "MALFORMED: " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, Failures.oneLine(e.getMessage()), e);
        } finally {
            bar.close();
        }
    }

    /** The witness file named by {@code --witness}, read; it needs a key to verify its notes with. */
    static ExportAudit.Witness witness(Path file, Optional<NoteVerifier> key) {
        if (file == null) {
            return ExportAudit.Witness.NONE;
        }
        if (key.isEmpty()) {
            throw CliException.usage("--witness needs --public-key: a checkpoint is only as good as its signature");
        }
        FileChecks.readable(file, "the witness file");
        return new ExportAudit.Witness(file.getFileName().toString(), WitnessFile.read(file));
    }

    /** The whole result as JSON: a verdict first, then the verification and reconciliation reports. */
    static ObjectNode report(ExportAudit.Result r) {
        ObjectNode n = Views.object();
        n.put("valid", r.valid());
        first(r).ifPresent(f -> {
            n.put("error_type", f.type().name());
            n.put("message", f.message());
            f.transactionId().ifPresent(id -> n.put("transaction_id", id));
            f.seq().ifPresent(seq -> n.put("line", r.lineOf(seq)));
        });
        if (r.valid()) {
            n.put("message", verdict(r));
        }
        n.put("file", r.file().toString());
        n.put("entries", r.entries());
        n.put("accounts", r.accounts().size());
        ObjectNode c = n.putObject("checkpoints");
        c.put("total", r.checkpoints().size());
        c.put("signatures_verified", r.checkpointsVerified());
        n.put("bytes", r.bytes());
        n.put("elapsed_ms", r.elapsed().toMillis());
        n.put("entries_per_second", perSecond(r));
        n.put("cpu_ms", r.cpu().toMillis());
        n.put("cpu_ns_per_entry", r.entries() == 0 ? 0 : r.cpu().toNanos() / r.entries());
        n.put("threads", r.threads());
        JsonNode chain = Reports.tree(r.chain().toMap());
        JsonNode replay = Reports.tree(r.reconciliation().toMap());
        n.set("verification", chain);
        n.set("reconciliation", replay);
        return n;
    }

    /** The result for people: the verdict, then the findings naming entries and lines. */
    static String summary(ExportAudit.Result r) {
        StringBuilder out = new StringBuilder();
        Optional<Finding> first = first(r);
        if (first.isEmpty()) {
            out.append(verdict(r));
        } else {
            Finding f = first.get();
            out.append("❌ ").append(f.message()).append(" (").append(f.type()).append(")");
            f.seq()
                    .ifPresent(seq -> out.append(" at line ")
                            .append(r.lineOf(seq))
                            .append(" of ")
                            .append(r.file().getFileName()));
            List<Finding> all = new ArrayList<>(r.chain().findings());
            all.addAll(r.reconciliation().findings());
            TextTable table = new TextTable("LINE", "FINDING", "TRANSACTION", "DETAIL");
            all.forEach(x -> table.add(
                    x.seq().isPresent() ? String.valueOf(r.lineOf(x.seq().getAsLong())) : "-",
                    x.type().name(),
                    x.transactionId().orElse("-"),
                    x.message()));
            out.append("\n\n")
                    .append(table.render())
                    .append("\n   ")
                    .append(f.type().securityRecommendation());
        }
        out.append(String.format(
                Locale.ROOT,
                "%n   %,d entries in %,d ms (%,d entries/s, %,d ns of CPU per entry on %d threads)",
                r.entries(),
                r.elapsed().toMillis(),
                perSecond(r),
                r.entries() == 0 ? 0 : r.cpu().toNanos() / r.entries(),
                r.threads()));
        return out.toString();
    }

    private static Optional<Finding> first(ExportAudit.Result r) {
        return r.chain()
                .firstError()
                .or(() -> r.reconciliation().findings().stream()
                        .filter(Finding::isError)
                        .findFirst());
    }

    private static String verdict(ExportAudit.Result r) {
        String checkpoints = r.checkpoints().isEmpty()
                ? "no signed checkpoints (the history rests on the hash chain alone)"
                : r.checkpointsVerified() + " signed checkpoints match";
        return "✅ Export verified: " + r.entries() + " transactions (hashes, chain, sequence), " + checkpoints + ", "
                + r.reconciliation().balancesChecked() + " balances, the treasury and the supply match the replay";
    }

    private static long perSecond(ExportAudit.Result r) {
        return (long) (r.entries() * 1e9 / Math.max(1, r.elapsed().toNanos()));
    }
}

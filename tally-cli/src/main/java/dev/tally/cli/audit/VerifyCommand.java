package dev.tally.cli.audit;

import dev.tally.cli.CliException;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.FileChecks;
import dev.tally.cli.LedgerCommand;
import dev.tally.cli.ReplicaOptions;
import dev.tally.cli.merkle.CheckpointOptions;
import dev.tally.cli.text.TextTable;
import dev.tally.core.audit.ChainFindings;
import dev.tally.core.audit.Finding;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerificationRun;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.json.Reports;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.ReadView;
import dev.tally.ledger.ReplicaConfig;
import dev.tally.ledger.archive.ArchiveCheck;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.ledger.merkle.WitnessFile;
import dev.tally.store.audit.AnchorKeyFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tally verify}: the seed's {@code verifyChainIntegrity()} from the command line. Checks every
 * entry's chain link, hash, position, time and arithmetic (or, with {@code --incremental}, only the entries
 * after the last successful run), records the run, and prints a summary or, with {@code --json}, the full
 * report. Exits 0 when the chain is valid, 1 when it is not, 2 when it could not be verified.
 * {@code --history} lists the recorded runs instead.
 */
@Command(
        name = "verify",
        sortOptions = false,
        description = {
            "Verify the hash chain: links, hashes, sequence, timestamps and entry arithmetic.",
            "Exit code 0: valid; 1: not valid (tampering found); 2: could not verify (a bad option or file, no ledger)."
        })
public final class VerifyCommand extends LedgerCommand {
    @Mixin
    private ReplicaOptions replica = new ReplicaOptions();

    @Override
    protected Optional<ReplicaConfig> replicaConfig() {
        return replica.config();
    }

    /** The exit code of a ledger found not valid: the number of {@link ExitCodes#REJECTED}. */
    static final int NOT_VALID = 1;

    private static final int MAX_THREADS = 64;
    private static final int MAX_HISTORY = 10_000;

    @Option(
            names = "--incremental",
            description = "Verify only the entries after the last successful run (full when there is none).")
    boolean incremental;

    @Option(names = "--history", description = "List the recorded verification and reconciliation runs, newest first.")
    boolean history;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            description = "How many runs --history lists (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--threads", paramLabel = "N", description = "Ranges verified at once (default: one per core).")
    Integer threads;

    @Option(
            names = "--anchor-key",
            paramLabel = "FILE",
            description =
                    "The anchor key file (tally keygen; default: $" + AnchorKeyFile.ENV
                            + "): successful runs are recorded with its MAC,"
                            + " and --incremental starts only from a run it authenticates (without it, --incremental verifies in full).")
    Path anchorKey;

    @Option(
            names = "--archives",
            paramLabel = "DIR",
            description = "Also re-check the archived months' files in DIR (tally archive) against --public-key and"
                    + " the --checkpoints witness file.")
    @Nullable
    Path archives;

    /** --checkpoints and --public-key: the signed-checkpoint checks. */
    @Mixin
    CheckpointOptions checkpoints;

    @Override
    protected void validate() {
        if (threads != null && (threads < 1 || threads > MAX_THREADS)) {
            throw CliException.usage("--threads must be 1-" + MAX_THREADS + ", not " + threads);
        }
        if (limit < 1 || limit > MAX_HISTORY) {
            throw CliException.usage("--limit must be 1-" + MAX_HISTORY + ", not " + limit);
        }
        checkpoints.validate();
        if (archives != null && checkpoints.publicKeyFile().isEmpty()) {
            throw CliException.usage(
                    "--archives needs --public-key: an archive is only as good as its signed checkpoints");
        }
        anchorKeyFile().ifPresent(f -> FileChecks.readable(f, "the anchor key"));
    }

    /** The anchor key file: {@code --anchor-key}, else the environment's. */
    private Optional<Path> anchorKeyFile() {
        return Optional.ofNullable(anchorKey)
                .or(() -> Optional.ofNullable(System.getenv(AnchorKeyFile.ENV))
                        .filter(s -> !s.isBlank())
                        .map(Path::of));
    }

    @Override
    protected int run(Ledger ledger) {
        if (history) {
            return printHistory(ledger.audit().history(limit));
        }
        VerifyOptions options = incremental ? VerifyOptions.incremental() : VerifyOptions.full();
        if (threads != null) {
            options = options.withParallelism(threads);
        }
        options = checkpoints.apply(options, ledger);
        Optional<Path> keyFile = anchorKeyFile();
        if (keyFile.isPresent()) {
            options = options.withAnchorKey(AnchorKeyFile.load(keyFile.get()));
        }
        ReadView view = readSide(ledger);
        VerificationReport report;
        try (AuditProgress progress = new AuditProgress(err(), "verifying")) {
            report = view.audit().verifyChainIntegrity(options.withProgress(progress));
        }
        List<ArchiveCheck.Result> archived = archives == null ? List.of() : checkArchives(ledger, archives);
        boolean valid = report.valid() && archived.stream().allMatch(ArchiveCheck.Result::valid);
        if (json()) {
            com.fasterxml.jackson.databind.JsonNode tree = Reports.tree(report.toMap());
            if (archives != null && tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                com.fasterxml.jackson.databind.node.ArrayNode a = o.putArray("archives");
                for (ArchiveCheck.Result r : archived) {
                    com.fasterxml.jackson.databind.node.ObjectNode n = a.addObject();
                    n.put("month", r.month().month().toString());
                    n.put("file", r.file().toString());
                    n.put("first_seq", r.month().firstSeq());
                    n.put("last_seq", r.month().lastSeq());
                    n.put("valid", r.valid());
                    n.putPOJO("problems", r.problems());
                }
            }
            if (checkpoints.policy().isPresent() && tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                com.fasterxml.jackson.databind.node.ArrayNode q = o.putArray("witness_quorum");
                for (CheckpointOptions.QuorumLine l : checkpoints.quorum()) {
                    com.fasterxml.jackson.databind.node.ObjectNode n = q.addObject();
                    n.put("tree_size", l.size());
                    n.putPOJO("cosigned_by", l.cosigners());
                    n.put("quorum_met", l.met());
                }
            }
            printJson(withReadFrom(tree, view));
        } else {
            print(summary(report) + quorumLines(checkpoints.quorum()) + archiveLines(archived) + readFromLine(view));
        }
        return valid ? ExitCodes.OK : NOT_VALID;
    }

    private List<ArchiveCheck.Result> checkArchives(Ledger ledger, Path dir) {
        Optional<Path> witness = checkpoints.witnessFile();
        return ledger.audit()
                .verifyArchives(
                        dir,
                        SignerKeys.loadVerifier(checkpoints.publicKeyFile().orElseThrow()),
                        witness.map(w -> String.valueOf(w.getFileName())).orElse(""),
                        witness.map(WitnessFile::read).orElse(List.of()));
    }

    /** Under --archives: each archived month's file, valid or what is wrong with it. */
    static String archiveLines(List<ArchiveCheck.Result> results) {
        StringBuilder out = new StringBuilder();
        for (ArchiveCheck.Result r : results) {
            out.append(String.format(
                    Locale.ROOT,
                    "%n   archive of %s (#%d to #%d) %s: %s",
                    r.month().month(),
                    r.month().firstSeq(),
                    r.month().lastSeq(),
                    r.file().getFileName(),
                    r.valid() ? "valid" : "NOT valid, " + String.join("; ", r.problems())));
        }
        return out.toString();
    }

    /** Under --policy: which witnesses cosigned each checkpoint, and whether that met the quorum. */
    static String quorumLines(List<CheckpointOptions.QuorumLine> lines) {
        StringBuilder out = new StringBuilder();
        for (CheckpointOptions.QuorumLine l : lines) {
            out.append("\n   checkpoint of ")
                    .append(l.size())
                    .append(" entries cosigned by ")
                    .append(l.cosigners().isEmpty() ? "no witness of the policy" : String.join(", ", l.cosigners()))
                    .append(l.met() ? ": quorum met" : ": quorum NOT met, not accepted");
        }
        return out.toString();
    }

    /** The report for people: the verdict, what ran, and the findings, first ones first. */
    static String summary(VerificationReport r) {
        StringBuilder out = new StringBuilder();
        if (r.valid()) {
            out.append(r.message()).append('\n');
        } else {
            Finding first = r.firstError().orElseThrow();
            out.append("❌ ")
                    .append(first.message())
                    .append(" (")
                    .append(first.type())
                    .append(")\n");
        }
        out.append(String.format(
                Locale.ROOT,
                "   %s verification of #%d to #%d: %,d transactions in %,d ms",
                r.mode().name().toLowerCase(Locale.ROOT),
                r.fromSeq(),
                r.toSeq(),
                r.transactionsVerified(),
                r.elapsed().toMillis()));
        r.note().ifPresent(n -> out.append("\n   ").append(n));
        out.append("\n   ").append(r.checkpoints().describe());
        if (!r.findings().isEmpty()) {
            out.append(String.format(
                    Locale.ROOT,
                    "%n   %d finding%s%s:%n",
                    r.findingsTotal(),
                    r.findingsTotal() == 1 ? "" : "s",
                    r.findingsTotal() > r.findings().size()
                            ? " (the first " + r.findings().size() + " listed)"
                            : ""));
            out.append(findings(r.findings()));
        }
        if (r.valid()) {
            out.append("\n   next recommended check: ").append(ChainFindings.iso(r.nextRecommendedCheck()));
        } else {
            out.append("\n   ").append(r.firstError().orElseThrow().type().securityRecommendation());
        }
        return out.toString();
    }

    /** Findings as a table: index, type, transaction and what was found. */
    static String findings(List<Finding> findings) {
        TextTable table = new TextTable("INDEX", "FINDING", "TRANSACTION", "DETAIL");
        findings.forEach(f -> table.add(
                f.index().isPresent() ? String.valueOf(f.index().getAsLong()) : "-",
                f.type().name(),
                f.transactionId().orElse("-"),
                f.message()));
        return table.render();
    }

    private int printHistory(List<VerificationRun> runs) {
        if (json()) {
            List<Map<String, Object>> maps =
                    runs.stream().map(VerificationRun::toMap).toList();
            printJson(Reports.tree(Map.of("runs", maps)));
            return ExitCodes.OK;
        }
        TextTable table = new TextTable("FINISHED", "KIND", "FROM", "TO", "VALID", "FINDINGS", "MS");
        runs.forEach(r -> table.add(
                ChainFindings.iso(r.finishedAt()),
                r.kind().name(),
                String.valueOf(r.fromSeq()),
                String.valueOf(r.toSeq()),
                r.valid() ? "yes" : "NO",
                String.valueOf(r.findingsCount()),
                String.valueOf(r.durationMs())));
        print(table.isEmpty() ? "no verification has run yet" : table.render());
        return ExitCodes.OK;
    }
}

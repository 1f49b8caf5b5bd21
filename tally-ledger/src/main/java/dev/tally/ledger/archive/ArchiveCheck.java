package dev.tally.ledger.archive;

import dev.tally.core.engine.BalanceKey;
import dev.tally.core.store.ArchivedMonth;
import dev.tally.core.store.BoundaryState;
import dev.tally.store.export.ExportAudit;
import dev.tally.verify.NoteVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-checks the archive files of the archived months ({@code tally verify --archives DIR}): each file is the one
 * recorded (SHA-256), audits valid against the key and the witness's checkpoints that it covers, ends at the
 * recorded boundary (seq and hash), and carries the signed checkpoint that anchors that boundary.
 */
public final class ArchiveCheck {
    private ArchiveCheck() {}

    /**
     * One month's verdict.
     *
     * @param problems what is wrong; empty when the archive is valid
     */
    public record Result(ArchivedMonth month, Path file, List<String> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Checks every month of {@code months} against its file in {@code dir}. */
    public static List<Result> check(
            List<ArchivedMonth> months, Path dir, NoteVerifier key, String witnessSource, List<String> witnessNotes) {
        List<Result> results = new ArrayList<>();
        for (ArchivedMonth m : months) {
            results.add(checkOne(m, dir.resolve(m.fileName()), key, witnessSource, witnessNotes));
        }
        return results;
    }

    private static Result checkOne(
            ArchivedMonth m, Path file, NoteVerifier key, String witnessSource, List<String> witnessNotes) {
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return new Result(m, file, List.of("the archive file is missing"));
        }
        if (!Arrays.equals(MonthArchiver.sha256(file), m.sha256())) {
            problems.add("its SHA-256 is not the one recorded when the month was archived");
        }
        try {
            ExportAudit.Result audit = MonthArchiver.audit(file, key, witnessSource, witnessNotes, m.lastSeq());
            if (!audit.valid()) {
                problems.add("it does not audit valid: " + audit.chain().findingsTotal() + " chain and "
                        + audit.reconciliation().findingsTotal() + " reconciliation findings");
            }
            if (audit.entries() != m.lastSeq()
                    || !audit.header()
                            .path("head_hash")
                            .asText()
                            .equals(m.lastHash().hex())) {
                problems.add("it does not end at the recorded boundary, entry #" + m.lastSeq() + " "
                        + m.lastHash().hex());
            }
            if (!sameState(audit, m.state())) {
                problems.add("its state at the boundary is not the one recorded, which reconciliation starts from");
            }
            if (audit.checkpoints().stream().noneMatch(c -> c.note().equals(m.checkpointNote()))) {
                problems.add("it does not carry the signed checkpoint of its boundary");
            }
        } catch (RuntimeException e) {
            problems.add("it cannot be audited: " + e.getMessage());
        }
        return new Result(m, file, problems);
    }

    /** Whether the file's balances, treasury totals and supply are the state recorded at the boundary. */
    private static boolean sameState(ExportAudit.Result audit, BoundaryState recorded) {
        Map<BalanceKey, Long> balances = new HashMap<>();
        audit.balances().forEach(b -> balances.put(new BalanceKey(b.account(), b.currency()), b.amount()));
        Map<String, List<Long>> supply = new HashMap<>();
        audit.supply().forEach((c, v) -> supply.put(c, List.of(v.minted(), v.burned())));
        Map<String, List<Long>> recordedSupply = new HashMap<>();
        recorded.supply().forEach((c, v) -> recordedSupply.put(c, List.of(v.minted(), v.burned())));
        return balances.equals(recorded.balances())
                && audit.treasuryTotals().equals(recorded.treasuryTotals())
                && supply.equals(recordedSupply);
    }
}

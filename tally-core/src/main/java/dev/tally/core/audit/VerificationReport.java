package dev.tally.core.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of verifying a chain (the seed's {@code verifyChainIntegrity()} result), from which
 * {@link #toMap()} makes the seed's JSON report with the same field names, plus what Tally adds: every
 * finding ({@code findings}, capped, with {@code findings_truncated}), the {@code mode} that ran and the
 * {@code verified_range}.
 *
 * @param fromSeq the first position verified; {@code toSeq + 1} when there was nothing new to verify
 * @param toSeq the last position verified: the chain head, or the newest row when rows lie beyond it
 * @param totalTransactions how many entries the ledger holds (its newest position)
 * @param transactionsVerified how many rows this run read
 * @param first the first row verified
 * @param last the last row verified; its stored hash anchors the next incremental run
 * @param findings the first findings in seq order, at most the run's {@code maxFindings}
 * @param findingsTotal how many findings there were in all, warnings included
 * @param errorsTotal how many of them are errors; the chain is valid when there is none
 * @param firstError the error the seed's top-level fields describe
 * @param note what a reader should know about how the run went, e.g. an incremental run that fell back to full
 * @param checkpoints how many signed checkpoints the run checked, and the newest signed size
 */
public record VerificationReport(
        VerifyOptions.Mode mode,
        long fromSeq,
        long toSeq,
        long totalTransactions,
        long transactionsVerified,
        Optional<Link> first,
        Optional<Link> last,
        List<Finding> findings,
        long findingsTotal,
        long errorsTotal,
        Optional<Finding> firstError,
        Instant startedAt,
        Duration elapsed,
        Optional<String> note,
        CheckpointSummary checkpoints) {

    /** How long after a run the next one is due: daily, as the seed's cron example runs it. */
    public static final Duration RECHECK_AFTER = Duration.ofDays(1);

    public VerificationReport {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(firstError, "firstError");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(checkpoints, "checkpoints");
        findings = List.copyOf(findings);
    }

    /** A report of a run that checked no signed checkpoint. */
    public VerificationReport(
            VerifyOptions.Mode mode,
            long fromSeq,
            long toSeq,
            long totalTransactions,
            long transactionsVerified,
            Optional<Link> first,
            Optional<Link> last,
            List<Finding> findings,
            long findingsTotal,
            long errorsTotal,
            Optional<Finding> firstError,
            Instant startedAt,
            Duration elapsed,
            Optional<String> note) {
        this(
                mode,
                fromSeq,
                toSeq,
                totalTransactions,
                transactionsVerified,
                first,
                last,
                findings,
                findingsTotal,
                errorsTotal,
                firstError,
                startedAt,
                elapsed,
                note,
                CheckpointSummary.NONE);
    }

    /** The same report, saying which signed checkpoints the run checked. */
    public VerificationReport withCheckpoints(CheckpointSummary summary) {
        return new VerificationReport(
                mode,
                fromSeq,
                toSeq,
                totalTransactions,
                transactionsVerified,
                first,
                last,
                findings,
                findingsTotal,
                errorsTotal,
                firstError,
                startedAt,
                elapsed,
                note,
                summary);
    }

    /**
     * Joins the results of consecutive ranges (in order) and the findings made outside them (chain head,
     * anchor) into one report, keeping the first {@code maxFindings} findings by position.
     */
    public static VerificationReport merge(
            VerifyOptions.Mode mode,
            long fromSeq,
            long toSeq,
            long totalTransactions,
            List<ChainVerifier.RangeResult> ranges,
            List<Finding> extra,
            int maxFindings,
            Instant startedAt,
            Duration elapsed,
            Optional<String> note) {
        long rows = 0;
        long findingsTotal = extra.size();
        long errors = extra.stream().filter(Finding::isError).count();
        Optional<Link> first = Optional.empty();
        Optional<Link> last = Optional.empty();
        List<Finding> all = new ArrayList<>();
        List<Finding> firstErrors = new ArrayList<>();
        for (ChainVerifier.RangeResult r : ranges) {
            rows += r.rows();
            findingsTotal += r.findingsTotal();
            errors += r.errorsTotal();
            if (first.isEmpty()) {
                first = r.first();
            }
            if (r.last().isPresent()) {
                last = r.last();
            }
            all.addAll(r.findings());
            r.firstError().ifPresent(firstErrors::add);
        }
        // After the row checks' findings: at one position, what the row itself shows comes first.
        all.addAll(extra);
        extra.stream().filter(Finding::isError).forEach(firstErrors::add);
        // Stable: findings of one position keep the order of the checks that made them.
        Comparator<Finding> byPosition = Comparator.comparingLong(f -> f.seq().orElse(Long.MAX_VALUE));
        all.sort(byPosition);
        Optional<Finding> firstError = firstErrors.stream().min(byPosition);
        return new VerificationReport(
                mode,
                fromSeq,
                toSeq,
                totalTransactions,
                rows,
                first,
                last,
                all.subList(0, Math.min(all.size(), maxFindings)),
                findingsTotal,
                errors,
                firstError,
                startedAt,
                elapsed,
                note);
    }

    /** Whether no error was found (warnings allowed, as in the seed). */
    public boolean valid() {
        return errorsTotal == 0;
    }

    /** When the next verification is due. */
    public Instant nextRecommendedCheck() {
        return startedAt.plus(elapsed).plus(RECHECK_AFTER);
    }

    /** The seed's {@code message} line. */
    public String message() {
        if (!valid()) {
            return firstError.map(Finding::message).orElse("Blockchain integrity compromised");
        }
        if (mode == VerifyOptions.Mode.FULL) {
            return "✅ Blockchain integrity verified: All " + transactionsVerified + " transactions are valid";
        }
        if (transactionsVerified == 0) {
            return "✅ Blockchain integrity verified: No new transactions since #" + (fromSeq - 1);
        }
        return "✅ Blockchain integrity verified: All " + transactionsVerified + " new transactions (#" + fromSeq
                + " to #" + toSeq + ") are valid";
    }

    /** How many entries were verified before the first error (all of them when there is none). */
    public long transactionsVerifiedBeforeFailure() {
        return firstError
                .flatMap(f -> f.seq().isPresent() ? Optional.of(f.seq().getAsLong()) : Optional.empty())
                .map(seq -> Math.max(0, Math.min(transactionsVerified, seq - fromSeq)))
                .orElse(firstError.isPresent() ? 0L : transactionsVerified);
    }

    /** The report as the seed's JSON shows it, then Tally's additions; plain values in report order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", valid());
        long ms = elapsed.toMillis();
        if (valid()) {
            m.put("message", message());
            m.put("total_transactions", totalTransactions);
            first.ifPresent(f -> m.put("first_transaction", ref(f)));
            last.ifPresent(l -> m.put("last_transaction", ref(l)));
            m.put("verification_time_ms", ms);
            m.put("performance", performance());
            m.put("next_recommended_check", ChainFindings.iso(nextRecommendedCheck()));
        } else {
            Finding f = firstError.orElseThrow();
            m.put("error_type", f.type().name());
            m.put("message", f.message());
            m.putAll(f.details());
            m.put("transactions_verified_before_failure", transactionsVerifiedBeforeFailure());
            m.put("total_transactions", totalTransactions);
            m.put("verification_time_ms", ms);
            m.put("security_recommendation", f.type().securityRecommendation());
            first.ifPresent(x -> m.put("first_transaction", ref(x)));
            last.ifPresent(x -> m.put("last_transaction", ref(x)));
            m.put("performance", performance());
        }
        m.put("mode", mode.name().toLowerCase(Locale.ROOT));
        m.put("verified_range", ChainFindings.ordered("from_seq", fromSeq, "to_seq", toSeq));
        m.put("transactions_verified", transactionsVerified);
        m.put("findings", findings.stream().map(Finding::toMap).toList());
        m.put("findings_truncated", findingsTotal - findings.size());
        note.ifPresent(n -> m.put("note", n));
        m.put("checkpoints", checkpoints.toMap());
        return Collections.unmodifiableMap(m);
    }

    private Map<String, Object> performance() {
        long nanos = Math.max(1, elapsed.toNanos());
        long perSecond = (long) (transactionsVerified * 1e9 / nanos);
        double averageMs = transactionsVerified == 0 ? 0 : nanos / 1e6 / transactionsVerified;
        return ChainFindings.ordered(
                "transactions_per_second",
                perSecond,
                "average_time_per_transaction_ms",
                String.format(Locale.ROOT, "%.4f", averageMs));
    }

    private static Map<String, Object> ref(Link l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.transactionId().orElse(""));
        if (l.createdAtMicros() != Long.MIN_VALUE) {
            m.put("timestamp", ChainFindings.isoMicros(l.createdAtMicros()));
        }
        return m;
    }
}

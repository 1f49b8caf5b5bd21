package dev.tally.core.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of reconciling a ledger: whether the stored balances, treasury totals and supply are exactly
 * what the entries add up to, and every difference found.
 *
 * @param entriesReplayed how many entries were replayed
 * @param toSeq the newest position replayed
 * @param balancesChecked how many stored balance rows were compared
 * @param treasuryTotalsChecked how many stored treasury totals were compared
 * @param findings the first findings (balances by account, then treasury, then supply)
 * @param findingsTotal how many there were in all
 */
public record ReconciliationReport(
        boolean valid,
        long entriesReplayed,
        long toSeq,
        long balancesChecked,
        long treasuryTotalsChecked,
        List<Finding> findings,
        long findingsTotal,
        Instant startedAt,
        Duration elapsed) {

    public ReconciliationReport {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        findings = List.copyOf(findings);
    }

    public String message() {
        if (valid) {
            return "✅ Reconciliation passed: " + balancesChecked + " balances, " + treasuryTotalsChecked
                    + " treasury totals and the supply match the replay of " + entriesReplayed + " transactions";
        }
        return findings.isEmpty()
                ? "Reconciliation failed"
                : findings.get(0).message()
                        + (findingsTotal > 1 ? " (and " + (findingsTotal - 1) + " more findings)" : "");
    }

    /** The report as plain values, in the style of the verification report. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", valid);
        if (!valid && !findings.isEmpty()) {
            m.put("error_type", findings.get(0).type().name());
        }
        m.put("message", message());
        m.put("total_transactions", entriesReplayed);
        m.put("balances_checked", balancesChecked);
        m.put("treasury_totals_checked", treasuryTotalsChecked);
        m.put("reconciliation_time_ms", elapsed.toMillis());
        if (!valid && !findings.isEmpty()) {
            m.put("security_recommendation", findings.get(0).type().securityRecommendation());
        }
        m.put("findings", findings.stream().map(Finding::toMap).toList());
        m.put("findings_truncated", findingsTotal - findings.size());
        return Collections.unmodifiableMap(m);
    }
}

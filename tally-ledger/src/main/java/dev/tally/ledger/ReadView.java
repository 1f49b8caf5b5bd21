package dev.tally.ledger;

import java.util.Objects;

/**
 * The read side of a ledger as one {@link ReadReplica#view()} chose it: reads, audits and the verifiable log
 * over the replica or the primary, and {@link ReadFrom which one}, for the report. Audits record their runs
 * on the primary either way.
 */
public record ReadView(LedgerReads reads, LedgerAudit audit, LedgerLog log, ReadFrom from) {
    public ReadView {
        Objects.requireNonNull(reads, "reads");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(from, "from");
    }
}

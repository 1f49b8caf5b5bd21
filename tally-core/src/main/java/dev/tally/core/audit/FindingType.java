package dev.tally.core.audit;

/**
 * What a verification or reconciliation found, named as the seed's reports name it ({@code error_type}).
 * The seed knew {@link #HASH_CHAIN_BROKEN} and {@link #TRANSACTION_TAMPERED}; the rest close the holes it
 * left: deleted and inserted rows, entries that break the ledger's rules, a chain head that disagrees with
 * the newest entry, and stored state that disagrees with the replay of the entries.
 */
public enum FindingType {
    /** An entry's {@code previous_hash} is not its predecessor's stored {@code current_hash}. */
    HASH_CHAIN_BROKEN(Severity.ERROR, "CRITICAL: Database may have been manually edited. Restore from backup immediately."),
    /** An entry's stored {@code current_hash} is not the hash of its content: a field was changed. */
    TRANSACTION_TAMPERED(Severity.ERROR, "CRITICAL: Transaction data was modified. Investigate admin access logs. Restore from backup."),
    /** A gap in {@code seq}: entries were deleted (or the newest ones truncated). */
    MISSING_TRANSACTION(Severity.ERROR, "CRITICAL: Transactions were deleted from the ledger. Investigate admin access logs. Restore from backup."),
    /** An entry at a position that does not come after its predecessor's: a duplicated or inserted row. */
    DUPLICATE_TRANSACTION(Severity.ERROR, "CRITICAL: A transaction was inserted out of sequence. Investigate admin access logs. Restore from backup."),
    /** An entry that cannot be read, or whose content breaks the ledger's rules (gross = tax + net, ...). */
    INVALID_ENTRY(Severity.ERROR, "CRITICAL: An entry is unreadable or breaks the ledger's rules. Investigate admin access logs. Restore from backup."),
    /** The recorded chain head does not name the newest entry: rows were appended or replaced below the ledger. */
    CHAIN_HEAD_MISMATCH(Severity.ERROR, "CRITICAL: Entries were appended or replaced outside the ledger. Investigate admin access logs. Restore from backup."),
    /** The entry an earlier successful run ended on no longer carries the hash that run recorded. */
    ANCHOR_MISMATCH(Severity.ERROR, "CRITICAL: Entries verified by an earlier run have changed. Run a full verification and restore from backup."),
    /** An entry is older than its predecessor. A warning only, as in the seed: clocks can step back. */
    TIMESTAMP_OUT_OF_ORDER(Severity.WARNING, "Check the clocks of the servers that write to this ledger."),
    /** An account's stored balance differs from what its entries add up to. */
    BALANCE_MISMATCH(Severity.ERROR, "CRITICAL: A balance was edited outside the ledger. Freeze the ledger, investigate admin access logs, and restore from backup."),
    /** A stored treasury tax total differs from the tax its entries collected. */
    TREASURY_MISMATCH(Severity.ERROR, "CRITICAL: A treasury total was edited outside the ledger. Investigate admin access logs. Restore from backup."),
    /** Money was created or destroyed outside the entries: balances do not add up to minted minus burned. */
    SUPPLY_MISMATCH(Severity.ERROR, "CRITICAL: Money was created or destroyed outside the ledger. Freeze the ledger and restore from backup.");

    /** Whether a finding makes the report invalid. */
    public enum Severity {
        ERROR, WARNING
    }

    private final Severity severity;
    private final String recommendation;

    FindingType(Severity severity, String recommendation) {
        this.severity = severity;
        this.recommendation = recommendation;
    }

    public Severity severity() {
        return severity;
    }

    /** The seed's {@code security_recommendation} for this kind of finding. */
    public String securityRecommendation() {
        return recommendation;
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}

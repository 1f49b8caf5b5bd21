package dev.tally.core.audit;

/**
 * What a verification or reconciliation found, named as the seed's reports name it ({@code error_type}).
 * The seed knew {@link #HASH_CHAIN_BROKEN} and {@link #TRANSACTION_TAMPERED}; the rest close the holes it
 * left: deleted and inserted rows, entries that break the ledger's rules, a chain head that disagrees with
 * the newest entry, stored state that disagrees with the replay of the entries, and (with signed
 * checkpoints, see {@link CheckpointVerifier}) rewritten or truncated history.
 */
public enum FindingType {
    /** An entry's {@code previous_hash} is not its predecessor's stored {@code current_hash}. */
    HASH_CHAIN_BROKEN(
            Severity.ERROR, "CRITICAL: Database may have been manually edited. Restore from backup immediately."),
    /** An entry's stored {@code current_hash} is not the hash of its content: a field was changed. */
    TRANSACTION_TAMPERED(
            Severity.ERROR,
            "CRITICAL: Transaction data was modified. Investigate admin access logs. Restore from backup."),
    /** A gap in {@code seq}: entries were deleted (or the newest ones truncated). */
    MISSING_TRANSACTION(
            Severity.ERROR,
            "CRITICAL: Transactions were deleted from the ledger. Investigate admin access logs. Restore from backup."),
    /** An entry at a position that does not come after its predecessor's: a duplicated or inserted row. */
    DUPLICATE_TRANSACTION(
            Severity.ERROR,
            "CRITICAL: A transaction was inserted out of sequence. Investigate admin access logs. Restore from backup."),
    /** An entry that cannot be read, or whose content breaks the ledger's rules (gross = tax + net, ...). */
    INVALID_ENTRY(
            Severity.ERROR,
            "CRITICAL: An entry is unreadable or breaks the ledger's rules. Investigate admin access logs. Restore from backup."),
    /** The recorded chain head does not name the newest entry: rows were appended or replaced below the ledger. */
    CHAIN_HEAD_MISMATCH(
            Severity.ERROR,
            "CRITICAL: Entries were appended or replaced outside the ledger. Investigate admin access logs. Restore from backup."),
    /** The entry an earlier successful run ended on no longer carries the hash that run recorded. */
    ANCHOR_MISMATCH(
            Severity.ERROR,
            "CRITICAL: Entries verified by an earlier run have changed. Run a full verification and restore from backup."),
    /** An entry is older than its predecessor. A warning only, as in the seed: clocks can step back. */
    TIMESTAMP_OUT_OF_ORDER(Severity.WARNING, "Check the clocks of the servers that write to this ledger."),
    /** An account's stored balance differs from what its entries add up to. */
    BALANCE_MISMATCH(
            Severity.ERROR,
            "CRITICAL: A balance was edited outside the ledger. Freeze the ledger, investigate admin access logs, and restore from backup."),
    /** A stored balance is further below zero than its account's credit limit allows (none: below zero at all). */
    BALANCE_BELOW_CREDIT_LIMIT(
            Severity.ERROR,
            "CRITICAL: A balance went below what its credit limit allows. Check who changed the account's limits (admin log) and whether balances were edited; freeze the account."),
    /** A stored treasury tax total differs from the tax its entries collected. */
    TREASURY_MISMATCH(
            Severity.ERROR,
            "CRITICAL: A treasury total was edited outside the ledger. Investigate admin access logs. Restore from backup."),
    /** Money was created or destroyed outside the entries: balances do not add up to minted minus burned. */
    SUPPLY_MISMATCH(
            Severity.ERROR,
            "CRITICAL: Money was created or destroyed outside the ledger. Freeze the ledger and restore from backup."),
    /**
     * The first {@code size} entries do not hash to a signed checkpoint's root (RFC 9162): history was
     * rewritten after it was signed, even if every chain hash was recomputed.
     */
    CHECKPOINT_MISMATCH(
            Severity.ERROR,
            "CRITICAL: History was rewritten after it was signed. Freeze the ledger, investigate admin access logs, and restore from a backup that matches the published checkpoints."),
    /** The ledger is shorter than a signed checkpoint: its newest entries were deleted. */
    TRUNCATED(
            Severity.ERROR,
            "CRITICAL: Signed transactions were deleted from the end of the ledger. Investigate admin access logs. Restore from a backup that matches the published checkpoints."),
    /** A checkpoint's signature does not verify with the log's public key: a forged or foreign checkpoint. */
    BAD_SIGNATURE(
            Severity.ERROR,
            "CRITICAL: A checkpoint was not signed by this ledger's key. Check that the right public key was given; otherwise the checkpoint file was forged."),
    /**
     * The stored Merkle tree does not match the entries it covers: proofs served from it would not verify.
     * The entries themselves may be intact (the checks above decide that).
     */
    MERKLE_TREE_MISMATCH(
            Severity.ERROR,
            "CRITICAL: The stored Merkle tree was edited outside the ledger. Investigate admin access logs. Restore from backup."),
    /**
     * A currency's configured scale differs from the one its entries were written with, or a currency that
     * has entries has no recorded scale: its amounts would be read at the wrong scale.
     */
    SCALE_MISMATCH(
            Severity.ERROR,
            "CRITICAL: A currency's scale differs from the one its entries were written with. Configure the recorded scale; if the record was edited, investigate admin access logs and restore from backup."),
    /**
     * A stored balance snapshot differs from the balance its account had just after the snapshot's entry:
     * balances read as of a past point from it would be wrong. The entries and current balances are
     * checked by the findings above.
     */
    BALANCE_SNAPSHOT_MISMATCH(
            Severity.ERROR,
            "CRITICAL: A balance snapshot was edited outside the ledger. Investigate admin access logs; delete the balance_snapshots rows found (the ledger reads past balances correctly without them) or restore from backup.");

    /** Whether a finding makes the report invalid. */
    public enum Severity {
        ERROR,
        WARNING
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

package dev.tally.core.audit;

/** What a recorded audit run did. */
public enum RunKind {
    /** Chain verification of every entry. */
    VERIFY_FULL,
    /** Chain verification of the entries after an earlier successful run. */
    VERIFY_INCREMENTAL,
    /** Replay of the entries compared with the stored balances, treasury totals and supply. */
    RECONCILE;

    /** Whether the run verified the chain (and so may anchor an incremental run). */
    public boolean isVerify() {
        return this != RECONCILE;
    }

    /** The kind of a verification in the given mode. */
    public static RunKind of(VerifyOptions.Mode mode) {
        return mode == VerifyOptions.Mode.FULL ? VERIFY_FULL : VERIFY_INCREMENTAL;
    }
}

package dev.tally.core.engine;

/**
 * An amount with the optimistic-concurrency version of the row it was read from. Version 0 means "no row
 * yet". Within a batch the amount changes and the version stays the one read; the store then writes
 * {@code SET version = version + 1 WHERE version = read} (or inserts at version 1), once per batch.
 */
/*
 * The amount is negative only for an account drawing on its credit limit; the engine keeps every balance
 * at or above minus the account's credit limit in its currency.
 */
public record Balance(long amount, long version) {
    public static final Balance NONE = new Balance(0, 0);

    /** The same row holding {@code newAmount}, still at the version read. */
    public Balance withAmount(long newAmount) {
        return new Balance(newAmount, version);
    }

    /** The value once a write of it has committed: one version later. */
    public Balance committed() {
        return new Balance(amount, version + 1);
    }
}

package dev.tally.store.testing;

/** The two real stores every store-level test runs on. */
public enum StoreKind {
    SQLITE, POSTGRES
}

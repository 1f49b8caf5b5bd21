package dev.tally.ledger.internal;

import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.Ledger;
import java.util.function.Function;

/**
 * The store under a {@link Ledger}, for the benchmarks that measure the layers below the facade and for
 * tests that look below it. Not part of the library's API: applications use the ledger's views, or open the
 * store themselves and hand it to {@link Ledger#open(LedgerStore, dev.tally.ledger.LedgerConfig)}.
 */
public final class LedgerInternals {
    private static volatile Function<Ledger, LedgerStore> storeOf;

    private LedgerInternals() {
    }

    /** Called once by {@link Ledger}'s class initializer: the only way to its store from outside. */
    public static void grant(Function<Ledger, LedgerStore> access) {
        if (storeOf != null) {
            throw new IllegalStateException("access is granted once, by Ledger");
        }
        storeOf = access;
    }

    /** The store the ledger writes to. */
    public static LedgerStore store(Ledger ledger) {
        if (storeOf == null) {
            // The class initializer of Ledger grants access; an instance exists, so it has run.
            throw new IllegalStateException("Ledger has not been initialized");
        }
        return storeOf.apply(ledger);
    }
}

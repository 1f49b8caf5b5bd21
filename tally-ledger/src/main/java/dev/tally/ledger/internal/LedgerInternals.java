package dev.tally.ledger.internal;

import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.sequencer.Sequencer;
import org.jspecify.annotations.Nullable;

/**
 * The store and the sequencer under a {@link Ledger}, for the benchmarks that measure the layers below the
 * facade and for tests that look below it (or inject faults into its writer). Not part of the library's
 * API: applications use the ledger's views, or open the store themselves and hand it to
 * {@link Ledger#open(LedgerStore, dev.tally.ledger.LedgerConfig)}.
 */
public final class LedgerInternals {
    /** Null until Ledger's class initializer grants it. */
    private static volatile @Nullable Access access;

    private LedgerInternals() {}

    /** What {@link Ledger} lets this class reach. */
    public interface Access {
        /** The ledger's store. */
        LedgerStore store(Ledger ledger);

        /** The ledger's sequencer. */
        Sequencer sequencer(Ledger ledger);
    }

    /** Called once by {@link Ledger}'s class initializer: the only way to its insides from outside. */
    public static void grant(Access granted) {
        if (access != null) {
            throw new IllegalStateException("access is granted once, by Ledger");
        }
        access = granted;
    }

    /** The store the ledger writes to. */
    public static LedgerStore store(Ledger ledger) {
        return access().store(ledger);
    }

    /** The ledger's single writer. */
    public static Sequencer sequencer(Ledger ledger) {
        return access().sequencer(ledger);
    }

    private static Access access() {
        Access granted = access;
        if (granted == null) {
            // The class initializer of Ledger grants access; an instance exists, so it has run.
            throw new IllegalStateException("Ledger has not been initialized");
        }
        return granted;
    }
}

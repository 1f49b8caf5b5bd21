package dev.tally.store;

import java.time.Clock;
import java.util.Objects;

/**
 * How a store is opened. {@code durable} (the default) means every commit is fsynced before it is
 * acknowledged; turning it off is an explicit opt-down for throwaway data. {@code openMode} says whether
 * a missing ledger may be created ({@link OpenMode#CREATE}, the default) or must already exist. {@code clock}
 * is the ledger's clock: a PostgreSQL store creates the monthly partitions of the months it will write next by it.
 */
public record StoreOptions(boolean durable, int poolSize, OpenMode openMode, Clock clock) {
    public static final StoreOptions DEFAULTS = new StoreOptions(true, 8);

    public StoreOptions {
        if (poolSize < 1 || poolSize > 256) {
            throw new IllegalArgumentException("poolSize must be 1-256");
        }
        Objects.requireNonNull(openMode, "openMode");
        Objects.requireNonNull(clock, "clock");
    }

    /** Options on the system clock. */
    public StoreOptions(boolean durable, int poolSize, OpenMode openMode) {
        this(durable, poolSize, openMode, Clock.systemUTC());
    }

    /** Options that create the ledger when it is missing. */
    public StoreOptions(boolean durable, int poolSize) {
        this(durable, poolSize, OpenMode.CREATE);
    }

    /** The same options with another open mode. */
    public StoreOptions withOpenMode(OpenMode mode) {
        return new StoreOptions(durable, poolSize, mode, clock);
    }

    /** The same options on another clock (the ledger's, so that its months have partitions ahead of time). */
    public StoreOptions withClock(Clock newClock) {
        return new StoreOptions(durable, poolSize, openMode, newClock);
    }
}

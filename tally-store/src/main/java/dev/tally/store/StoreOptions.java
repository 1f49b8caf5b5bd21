package dev.tally.store;

/**
 * How a store is opened. {@code durable} (the default) means every commit is fsynced before it is
 * acknowledged; turning it off is an explicit opt-down for throwaway data.
 */
public record StoreOptions(boolean durable, int poolSize) {
    public static final StoreOptions DEFAULTS = new StoreOptions(true, 8);

    public StoreOptions {
        if (poolSize < 1 || poolSize > 256) {
            throw new IllegalArgumentException("poolSize must be 1-256");
        }
    }
}

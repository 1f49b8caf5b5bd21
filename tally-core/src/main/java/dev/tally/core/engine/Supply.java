package dev.tally.core.engine;

/**
 * How much of a currency was ever minted and burned, with its version. Circulating money (the sum of all
 * balances, the treasury included) must always equal {@code minted - burned}.
 */
public record Supply(long minted, long burned, long version) {
    public static final Supply NONE = new Supply(0, 0, 0);

    public long circulating() {
        return minted - burned;
    }

    /** The same row after minting and burning the given amounts, still at the version read. */
    public Supply plus(long mint, long burn) {
        return new Supply(Math.addExact(minted, mint), Math.addExact(burned, burn), version);
    }

    /** The value once a write of it has committed: one version later. */
    public Supply committed() {
        return new Supply(minted, burned, version + 1);
    }
}

package dev.tally.core.engine;

import dev.tally.core.ledger.Hash;
import java.util.Objects;

/**
 * The newest entry of the chain: its seq and hash. Appending moves the head {@code WHERE seq = old},
 * so two writers can never both append after the same hash.
 */
public record ChainHead(long seq, Hash hash) {
    /** The head of an empty ledger: seq 0 and the all-zero genesis hash. */
    public static final ChainHead GENESIS = new ChainHead(0, Hash.ZERO);

    public ChainHead {
        Objects.requireNonNull(hash, "hash");
    }
}

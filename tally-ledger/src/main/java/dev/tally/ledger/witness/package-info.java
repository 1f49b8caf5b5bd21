/**
 * C2SP tlog-witness: Tally as a witness ({@link dev.tally.ledger.witness.Witness} with its own file store and
 * HTTP server) and Tally as a log asking witnesses to cosign its checkpoints
 * ({@link dev.tally.ledger.witness.Cosigning}). Values here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.tally.ledger.witness;

import org.jspecify.annotations.NullMarked;

/**
 * The log the C2SP way: the tlog-tiles export, receipts (tlog-proof) and the witness (tlog-witness).
 * Values here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.tally.cli.transparency;

import org.jspecify.annotations.NullMarked;

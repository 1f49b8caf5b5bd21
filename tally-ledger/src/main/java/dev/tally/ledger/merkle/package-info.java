/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.ledger.merkle;

import org.jspecify.annotations.NullMarked;

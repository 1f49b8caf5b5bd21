/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.ledger;

import org.jspecify.annotations.NullMarked;

/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.ledger.internal;

import org.jspecify.annotations.NullMarked;

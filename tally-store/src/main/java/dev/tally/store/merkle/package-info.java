/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.store.merkle;

import org.jspecify.annotations.NullMarked;

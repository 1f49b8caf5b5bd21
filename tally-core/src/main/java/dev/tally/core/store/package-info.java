/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.core.store;

import org.jspecify.annotations.NullMarked;

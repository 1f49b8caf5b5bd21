/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.bench;

import org.jspecify.annotations.NullMarked;

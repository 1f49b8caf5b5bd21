/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.json;

import org.jspecify.annotations.NullMarked;

/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.core.error;

import org.jspecify.annotations.NullMarked;

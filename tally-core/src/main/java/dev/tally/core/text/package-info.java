/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.core.text;

import org.jspecify.annotations.NullMarked;

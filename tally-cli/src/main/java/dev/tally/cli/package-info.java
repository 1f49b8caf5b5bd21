/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.cli;

import org.jspecify.annotations.NullMarked;

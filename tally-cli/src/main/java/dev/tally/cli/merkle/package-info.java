/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.cli.merkle;

import org.jspecify.annotations.NullMarked;

/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.cli.fraud;

import org.jspecify.annotations.NullMarked;

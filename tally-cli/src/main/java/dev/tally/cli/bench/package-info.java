/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.cli.bench;

import org.jspecify.annotations.NullMarked;

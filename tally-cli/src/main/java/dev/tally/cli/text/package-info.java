/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.cli.text;

import org.jspecify.annotations.NullMarked;

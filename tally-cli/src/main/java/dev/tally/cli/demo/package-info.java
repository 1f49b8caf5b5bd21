/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.cli.demo;

import org.jspecify.annotations.NullMarked;

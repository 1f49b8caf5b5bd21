/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.cli.server;

import org.jspecify.annotations.NullMarked;

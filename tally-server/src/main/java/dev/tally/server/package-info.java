/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.server;

import org.jspecify.annotations.NullMarked;

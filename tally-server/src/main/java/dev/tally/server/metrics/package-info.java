/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.server.metrics;

import org.jspecify.annotations.NullMarked;

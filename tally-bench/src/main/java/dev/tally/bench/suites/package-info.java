/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.bench.suites;

import org.jspecify.annotations.NullMarked;

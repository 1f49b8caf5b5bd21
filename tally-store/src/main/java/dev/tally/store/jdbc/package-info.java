/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.store.jdbc;

import org.jspecify.annotations.NullMarked;

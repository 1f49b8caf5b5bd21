/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.store.internal.jdbc;

import org.jspecify.annotations.NullMarked;

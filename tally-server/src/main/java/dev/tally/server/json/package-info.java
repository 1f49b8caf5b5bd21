/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.server.json;

import org.jspecify.annotations.NullMarked;

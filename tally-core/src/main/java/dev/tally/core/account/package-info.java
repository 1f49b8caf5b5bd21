/** Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.core.account;

import org.jspecify.annotations.NullMarked;

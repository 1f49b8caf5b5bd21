/** {@code tally archive}: closed months out to audited files. Values here are non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.tally.cli.archive;

import org.jspecify.annotations.NullMarked;

/**
 * Archiving closed months (PostgreSQL): each month is exported to an audited archive file with a signed checkpoint
 * of its boundary, then its partition is detached and dropped, in that order. Values here are non-null unless
 * marked {@code @Nullable}.
 */
@NullMarked
package dev.tally.ledger.archive;

import org.jspecify.annotations.NullMarked;

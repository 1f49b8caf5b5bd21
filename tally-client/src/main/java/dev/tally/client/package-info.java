/**
 * A client of {@code tally serve} for JVM game servers: {@link dev.tally.client.TallyClient}. Money movements are
 * retried safely (same {@code transaction_id}), refusals are {@link dev.tally.client.TallyProblem}s with the
 * server's stable code, and inclusion proofs are checked on the client against a pinned checkpoint key.
 * Values here are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.tally.client;

import org.jspecify.annotations.NullMarked;

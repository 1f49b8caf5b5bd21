package dev.tally.client;

/**
 * What a checked inclusion proof established: the entry is leaf {@code leafIndex} of the log {@code origin} of
 * size {@code treeSize}, whose checkpoint is signed by the pinned key {@code keyName}.
 */
public record VerifiedInclusion(String transactionId, long leafIndex, long treeSize, String origin, String keyName) {}

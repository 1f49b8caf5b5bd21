package dev.tally.core.fraud;

import java.time.Instant;

/** A value with the time it happened, kept in time order in a window. */
record Stamped<T>(Instant at, T value) {}

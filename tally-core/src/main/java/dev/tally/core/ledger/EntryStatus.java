package dev.tally.core.ledger;

/** The status column of the seed. Tally writes only completed entries; a reversal is a new entry. */
public enum EntryStatus {
    COMPLETED
}

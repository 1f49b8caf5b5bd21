package dev.tally.ledger.archive;

import java.time.YearMonth;

/** The steps of archiving one month, in order; a hook sees each one once it is done (tests inject crashes). */
public enum ArchiveStep {
    /** The archive file is written, forced to disk and renamed into place. */
    EXPORTED,
    /** The file on disk audited valid against the key and the witness. */
    AUDITED,
    /** The month is recorded and its partition detached and dropped, in one transaction. */
    DROPPED;

    /** Called after each step of each month. */
    @FunctionalInterface
    public interface Hook {
        /** Does nothing. */
        Hook NONE = (step, month) -> {};

        void after(ArchiveStep step, YearMonth month);
    }
}

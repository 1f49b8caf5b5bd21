package dev.tally.cli;

/** The exit codes of every {@code tally} command; scripts rely on them. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The ledger refused the command (a typed rejection or invalid input); nothing was written. */
    public static final int REJECTED = 1;
    /** The command line was wrong, or the store could not be reached or failed; nothing was written. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}

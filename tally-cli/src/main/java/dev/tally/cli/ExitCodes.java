package dev.tally.cli;

/** The exit codes of every {@code tally} command; scripts rely on them. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /**
     * "No": the ledger refused a well-formed command because of its state (a typed rejection such as
     * INSUFFICIENT_FUNDS; nothing was written), or verify, reconcile, audit or proof check found the ledger
     * not valid. Never a mistake in the command itself.
     */
    public static final int REJECTED = 1;
    /**
     * The command could not run: a usage or input error (an option, a malformed value, an unreadable file,
     * no ledger at {@code --db}), or the store could not be reached or failed; nothing was written.
     */
    public static final int USAGE = 2;

    private ExitCodes() {}
}

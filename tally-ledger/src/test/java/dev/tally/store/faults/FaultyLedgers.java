package dev.tally.store.faults;

import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import java.util.UUID;

/** Commands for fault tests that need no funded accounts. */
public final class FaultyLedgers {
    private FaultyLedgers() {}

    /** Opens a user account named {@code username}. */
    public static Command.OpenAccount openAccount(String username) {
        return new Command.OpenAccount(UUID.randomUUID(), username, username + "@example.com", Role.USER);
    }
}

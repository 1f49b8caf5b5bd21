package dev.tally.cli;

import dev.tally.core.ledger.EntryContext;
import java.util.Optional;

/** Who the CLI acts as in the ledger's entries: the operating-system user, as {@code cli:<name>}. */
public final class Actors {
    private Actors() {
    }

    /** {@code cli:<OS user>}, cut to the length an entry allows. */
    public static String cliActor() {
        String actor = "cli:" + System.getProperty("user.name", "unknown");
        return actor.length() <= EntryContext.MAX_ACTOR ? actor : actor.substring(0, EntryContext.MAX_ACTOR);
    }

    /** The entry context of a CLI command: the actor and {@code tally-cli/<version>} as the user agent. */
    public static EntryContext cliContext() {
        return new EntryContext(Optional.of(cliActor()), Optional.empty(), Optional.of("tally-cli/" + TallyCli.version()));
    }
}

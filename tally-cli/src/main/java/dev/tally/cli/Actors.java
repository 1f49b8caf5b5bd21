package dev.tally.cli;

import dev.tally.core.ledger.EntryContext;
import dev.tally.core.text.SafeText;
import java.util.Optional;

/** Who the CLI acts as in the ledger's entries: the operating-system user, as {@code cli:<name>}. */
public final class Actors {
    private Actors() {}

    /** {@code cli:<OS user>}, cut to the length an entry allows, any control character in the name escaped. */
    public static String cliActor() {
        String actor = "cli:"
                + SafeText.escape(System.getProperty("user.name", "unknown").replace('\n', ' '));
        int end = Math.min(actor.length(), EntryContext.MAX_ACTOR);
        return actor.substring(0, end > 0 && Character.isHighSurrogate(actor.charAt(end - 1)) ? end - 1 : end);
    }

    /** The entry context of a CLI command: the actor and {@code tally-cli/<version>} as the user agent. */
    public static EntryContext cliContext() {
        return new EntryContext(
                Optional.of(cliActor()), Optional.empty(), Optional.of("tally-cli/" + TallyCli.version()));
    }
}

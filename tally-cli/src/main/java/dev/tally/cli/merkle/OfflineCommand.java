package dev.tally.cli.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.cli.Failures;
import dev.tally.cli.TallyCli;
import dev.tally.json.Views;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The base of the commands that need no database (key generation, proof checking, offline audit): they take
 * only {@code --json}, and turn any failure into one line on stderr and an exit code, like every command.
 */
public abstract class OfflineCommand implements Callable<Integer> {
    @Option(names = "--json", order = 101, description = "Print JSON for machines instead of text for people.")
    boolean json;

    @Spec
    protected CommandSpec spec;

    /** Does the work; returns the exit code. */
    protected abstract int run() throws Exception;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (Exception | AssertionError e) {
            return Failures.report(err(), e);
        }
    }

    /** {@code --json} after the command name or before it ({@code tally --json keygen ...}). */
    protected boolean json() {
        return json
                || (spec.root().userObject() instanceof TallyCli root
                        && root.options().json());
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints text with its control and formatting characters escaped (a witness or export file may hold anything). */
    protected void print(String text) {
        out().println(dev.tally.core.text.SafeText.escape(text));
        out().flush();
    }

    protected void printJson(JsonNode node) {
        out().println(dev.tally.core.text.SafeText.escapeJson(Views.write(node)));
        out().flush();
    }
}

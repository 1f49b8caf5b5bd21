package dev.tally.bench;

import dev.tally.bench.suites.BenchCommand;
import dev.tally.cli.TallyCli;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * The entry point of the bench jar ({@code tally-bench/target/tally-bench.jar}, which {@code ./tally bench}
 * starts): the whole {@code tally} command line plus {@code tally bench SUITE}, so that the production jar
 * carries neither the suites nor the embedded PostgreSQL they start. {@code jmh ARGS} runs the JMH
 * microbenchmarks of this module instead.
 */
public final class TallyBench {
    private TallyBench() {}

    /** Runs {@code tally} with the bench suites, or JMH when the first argument is {@code jmh}; exits with its code. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(commandLine().execute(args));
    }

    /** The {@code tally} command line with {@code bench} added. */
    public static CommandLine commandLine() {
        return TallyCli.commandLine(new BenchCommand());
    }
}

package dev.tally.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.bench.TallyBench;
import dev.tally.json.Views;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs the bench jar's command line in-process, as its {@code main} would, with stdout and stderr captured. */
final class Cli {
    private Cli() {}

    /** What one run printed and how it ended. */
    record Run(int exitCode, String out, String err) {
        JsonNode json() {
            assertThat(exitCode).as("exit code; stderr: %s", err).isZero();
            return Views.read(out);
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        /** Asserts a failure: the exit code, nothing on stdout, and exactly one line on stderr starting with the prefix. */
        Run failed(int code, String linePrefix) {
            assertThat(exitCode).as("exit code; stderr: %s", err).isEqualTo(code);
            assertThat(out).as("stdout").isEmpty();
            assertThat(errLines()).as("stderr").hasSize(1);
            assertThat(errLines().get(0)).startsWith(linePrefix);
            return this;
        }
    }

    /** Runs {@code tally args...} with the bench suites. */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TallyBench.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}

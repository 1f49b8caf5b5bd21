package dev.tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.cli.TallyCli;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bench jar's command line is the production one plus {@code bench}. */
class TallyBenchTest {
    @Test
    void theBenchJarRunsEveryTallyCommandAndBench() {
        Set<String> production = TallyCli.commandLine().getSubcommands().keySet();
        Set<String> bench = TallyBench.commandLine().getSubcommands().keySet();

        assertThat(bench).containsAll(production).contains("bench");
    }

    @Test
    void theProductionCommandLineHasNoBench() {
        assertThat(TallyCli.commandLine().getSubcommands()).doesNotContainKey("bench");
    }
}

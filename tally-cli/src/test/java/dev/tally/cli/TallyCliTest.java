package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.cli.text.ProgressBar;
import dev.tally.cli.text.TextTable;
import org.junit.jupiter.api.Test;

class TallyCliTest {
    @Test
    void versionPrintsTheBuildVersion() {
        Cli.Run run = Cli.run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("tally 0.").doesNotContain("${");
    }

    @Test
    void helpListsEveryCommand() {
        Cli.Run run = Cli.run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains(
                        "demo",
                        "account",
                        "mint",
                        "burn",
                        "transfer",
                        "reverse",
                        "history",
                        "tx",
                        "treasury",
                        "supply",
                        "ledger",
                        "--db",
                        "--json");
    }

    @Test
    void aBareTallyIsAUsageError() {
        Cli.run().failed(ExitCodes.USAGE, "tally: a command is required");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        Cli.run("teleport").failed(ExitCodes.USAGE, "tally: ");
    }

    @Test
    void anUnreachableStoreIsAnInfrastructureFailureWithItsPasswordHidden() {
        Cli.Run run = Cli.run("supply", "--db", "postgresql://tally:s3cret@127.0.0.1:1/tally")
                .failed(ExitCodes.USAGE, "tally: cannot open the ledger at ");

        assertThat(run.err()).contains("tally:***@127.0.0.1:1").doesNotContain("s3cret");
    }

    @Test
    void aStoreThatDoesNotExistIsAUsageError() {
        Cli.run("supply", "--db", "/proc/no-such-dir/tally.db")
                .failed(ExitCodes.USAGE, "tally: no ledger at /proc/no-such-dir/tally.db");
    }

    @Test
    void aStoreThatCannotBeCreatedIsAnInfrastructureFailure() {
        Cli.run("init", "--db", "/proc/no-such-dir/tally.db")
                .failed(ExitCodes.USAGE, "tally: cannot open the ledger at /proc/no-such-dir/tally.db");
    }

    @Test
    void theProgressBarShowsTheShareDone() {
        assertThat(ProgressBar.render("payments", 750, 3000))
                .isEqualTo("payments [#######.......................] 750/3000 25%");
        assertThat(ProgressBar.render("payments", 3100, 3000)).endsWith("3000/3000 100%");
    }

    @Test
    void tablesAlignNumbersRightAndTextLeft() {
        String table = new TextTable("NAME", "AMOUNT")
                .add("alice", "1.00")
                .add("bob", "100.00")
                .render();

        assertThat(table).isEqualTo("""
                NAME   AMOUNT
                alice    1.00
                bob    100.00""");
    }
}

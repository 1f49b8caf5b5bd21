package dev.tally.store.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.engine.Outcome;
import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.FaultyDataSource;
import dev.tally.store.testing.StoreSql;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes away under the writer: its backend is terminated, or the whole server stops and starts
 * again on the same data directory, in the middle of a batch. A batch cut off before its commit fails and
 * the writer goes on once the server is back; a batch cut off at its commit halts the writer. Nothing
 * acknowledged is lost and nothing is half-written. Runs on its own server, so that restarting it
 * disturbs no other test.
 */
@SuppressWarnings("try") // the tests close a ledger early, to reopen its store and check what it holds
class PostgresRestartTest {
    @TempDir
    Path dir;

    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;
    private int port;

    @BeforeEach
    void startServer() throws IOException {
        pg = server(0);
        port = pg.getPort();
        StoreSql.executeAt(admin(), "CREATE DATABASE tally");
    }

    @AfterEach
    void stopServer() throws IOException {
        pg.close();
    }

    @Test
    void aServerStoppedWhileABatchIsWrittenFailsThatBatchAndTheWriterGoesOnAfterTheRestart() throws Exception {
        List<LedgerEntry> acknowledged;
        try (FaultyLedger f = FaultyLedger.open(url())) {
            f.pay("before");
            f.faults.failNextWrite(real -> stop());

            assertThatThrownBy(() -> f.ledger.submit(f.transfer("cut-off")).join())
                    .hasCauseInstanceOf(StoreException.class);
            assertThat(f.ledger.stats().writer().halted()).isFalse();

            pg = server(port);
            payOnceTheServerAnswers(f, "cut-off");
            f.pay("after");
            assertThat(f.ledger.stats().writer().halted())
                    .as("recovered without a restart of the ledger")
                    .isFalse();
            acknowledged = f.acknowledged;
        }
        FaultyLedger.reopenAndCheck(url(), acknowledged).close();
    }

    @Test
    void aServerStoppedAtTheCommitHaltsTheWriterAndAfterTheRestartNothingAcknowledgedIsLost() throws Exception {
        List<LedgerEntry> acknowledged;
        try (FaultyLedger f = FaultyLedger.open(url())) {
            f.pay("before");
            f.faults.failNextCommit(real -> {
                stop();
                real.commit();
            });

            assertThat(CommitFaultTest.haltedFailure(f.ledger.submit(f.transfer("in-doubt")))
                            .mayHaveBeenWritten())
                    .isTrue();
            assertThat(f.ledger.stats().writer().halted()).isTrue();
            acknowledged = f.acknowledged;
        }
        pg = server(port);
        try (Ledger again = FaultyLedger.reopenAndCheck(url(), acknowledged)) {
            Outcome resent = again.submit(new dev.tally.core.command.Command.Payment(
                            "in-doubt",
                            dev.tally.core.ledger.EntryType.TRANSFER,
                            again.reads().findAccount("alice").orElseThrow().id(),
                            again.reads().findAccount("bob").orElseThrow().id(),
                            again.money("1.00", "EUR"),
                            FaultyLedger.CTX))
                    .join();
            assertThat(resent.ok())
                    .as("the resend is written once or answered as a replay")
                    .isTrue();
            FaultyLedger.reopenAndCheck(url(), List.of()).close();
        }
    }

    @Test
    void aBackendTerminatedWhileABatchIsWrittenFailsThatBatchAndTheNextOneCommits() {
        List<LedgerEntry> acknowledged;
        try (FaultyLedger f = FaultyLedger.open(TestStores.freshLocation(dev.tally.store.testing.StoreKind.POSTGRES))) {
            f.pay("before");
            f.faults.failNextWrite(FaultyDataSource.terminateTheBackend());

            assertThatThrownBy(() -> f.ledger.submit(f.transfer("cut-off")).join())
                    .hasCauseInstanceOf(StoreException.class);

            f.pay("cut-off");
            assertThat(f.ledger.stats().writer().halted()).isFalse();
            acknowledged = f.acknowledged;
            f.close();
            FaultyLedger.reopenAndCheck(f.location, acknowledged).close();
        }
    }

    /** The pool may hand out a connection from before the restart once; that batch fails whole. */
    private static void payOnceTheServerAnswers(FaultyLedger f, String id) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                f.pay(id);
                return;
            } catch (CompletionException e) {
                assertThat(e.getCause()).isInstanceOf(StoreException.class);
                assertThat(attempt).as("the writer reconnects").isLessThan(30);
                Thread.sleep(200);
            }
        }
    }

    private void stop() {
        try {
            pg.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server(int onPort) throws IOException {
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("pgdata"))
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on");
        if (onPort > 0) {
            builder.setPort(onPort);
        }
        return builder.start();
    }

    private String admin() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    private String url() {
        return "jdbc:postgresql://localhost:" + port + "/tally?user=postgres";
    }
}

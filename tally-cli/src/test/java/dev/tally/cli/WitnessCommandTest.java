package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ledger.witness.WitnessStore;
import dev.tally.store.testing.StoreKind;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tally witness serve} as its own process: a witness killed with SIGKILL right after it answered
 * still knows, when restarted, the checkpoint it cosigned (it persisted before answering).
 */
class WitnessCommandTest {
    private static final Pattern LISTENING = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aWitnessKilledWithSigkillRemembersWhatItCosigned() throws Exception {
        String db = Cli.newLedger(StoreKind.SQLITE);
        TlogInteropTest.entries(db, 5);
        Path logKeys = Files.createDirectory(dir.resolve("log"));
        Path witnessKeys = Files.createDirectory(dir.resolve("witness"));
        Cli.run("keygen", "--out", logKeys.toString(), "--name", "ledger.example.com/witnessed");
        Cli.run("keygen", "--out", witnessKeys.toString(), "--name", "witness.example.com/w1");
        String logKey = logKeys.resolve("checkpoint.key").toString();
        Path logs = dir.resolve("logs.txt");
        Files.writeString(
                logs, "# the logs this witness cosigns\nlog " + Files.readString(logKeys.resolve("checkpoint.pub")));
        String first = Cli.json(
                        db,
                        "checkpoint",
                        "--key",
                        logKey,
                        "--witness",
                        dir.resolve("w.txt").toString())
                .get("note")
                .asText();
        Path store = dir.resolve("store");

        Process witness = startWitness(witnessKeys.resolve("checkpoint.key"), logs, store);
        int port = port(witness);
        HttpResponse<String> cosigned = post(port, "old 0\n\n" + first);
        witness.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        assertThat(cosigned.statusCode()).as(cosigned.body()).isEqualTo(200);
        assertThat(cosigned.body()).startsWith("\u2014 witness.example.com/w1 ");
        Process restarted = startWitness(witnessKeys.resolve("checkpoint.key"), logs, store);
        try {
            int again = port(restarted);
            HttpResponse<String> stale = post(again, "old 0\n\n" + first);
            assertThat(stale.statusCode()).isEqualTo(409);
            assertThat(stale.body()).isEqualTo("5\n");
            HttpResponse<String> latest = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + again + "/"
                                    + WitnessStore.originHash("ledger.example.com/witnessed") + "/checkpoint"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(latest.body()).startsWith(first).contains("\u2014 witness.example.com/w1 ");
        } finally {
            restarted.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process startWitness(Path key, Path logs, Path store) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.tally.cli.TallyCli",
                        "witness",
                        "serve",
                        "--key",
                        key.toString(),
                        "--port",
                        "0",
                        "--logs",
                        logs.toString(),
                        "--store",
                        store.toString()))
                .redirectErrorStream(true)
                .start();
    }

    private static int port(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the witness did not start:\n" + seen);
    }

    private HttpResponse<String> post(int port, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/add-checkpoint"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

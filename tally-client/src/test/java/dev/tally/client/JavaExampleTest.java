package dev.tally.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** examples/java/Shop.java runs as its comment says, against a real server, and does what it claims. */
class JavaExampleTest {

    @Test
    void theJavaExampleSellsAnItemSurvivesItsRetryAndProvesTheSale() throws Exception {
        try (LiveServer live = LiveServer.start()) {
            Path pub = Files.createTempFile("checkpoint", ".pub");
            Files.writeString(pub, live.verifierKey);
            ProcessBuilder pb = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            Path.of("..", "examples", "java", "Shop.java").toString())
                    .redirectErrorStream(true);
            pb.environment().put("TALLY_URL", live.uri().toString());
            pb.environment().put("TALLY_ADMIN_KEY", LiveServer.ADMIN_KEY);
            pb.environment().put("TALLY_CHECKPOINT_PUB", pub.toString());
            Process p = pb.start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out)
                    .contains("sold: CREATED, price 12.50, VAT 2.50, shop gets 10.00")
                    .contains("retry after a timeout: REPLAYED")
                    .containsPattern("proven: leaf \\d+ of \\d+ in tally.example/client-test");
        }
    }
}

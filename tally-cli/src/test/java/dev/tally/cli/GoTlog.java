package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Go project's transparency-log code (golang.org/x/mod/sumdb/tlog and sumdb/note, from Debian), run
 * through the small program in src/test/go/tallycheck. It is built once, offline, in GOPATH mode. A
 * machine without Go fails the test with the script that installs it: it never skips.
 */
final class GoTlog {
    private static final Path GOCODE = Path.of("/usr/share/gocode");
    private static Path binary;

    private GoTlog() {}

    /** What the program said. */
    record Result(int exitCode, String output) {
        Result ok() {
            assertThat(exitCode).as("tallycheck: %s", output).isZero();
            return this;
        }
    }

    /** Runs {@code tallycheck args...}. */
    static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(build().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("tallycheck finishes").isTrue();
        return new Result(p.exitValue(), out);
    }

    private static synchronized Path build() throws IOException, InterruptedException {
        if (binary != null) {
            return binary;
        }
        Path go = Path.of("/usr/bin/go");
        if (!Files.isExecutable(go) || !Files.isDirectory(GOCODE.resolve("src/golang.org/x/mod/sumdb/tlog"))) {
            throw new AssertionError("Go and golang.org/x/mod are missing: run scripts/install/go.sh"
                    + " (apt-get install golang-go golang-golang-x-mod-dev); test.sh does");
        }
        Path target = Path.of("target", "tallycheck").toAbsolutePath();
        Files.createDirectories(target.getParent());
        ProcessBuilder pb = new ProcessBuilder(go.toString(), "build", "-o", target.toString(), ".")
                .directory(Path.of("src", "test", "go", "tallycheck").toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GO111MODULE", "off");
        env.put("GOPATH", GOCODE.toString());
        env.put("GOCACHE", Path.of("target", "gocache").toAbsolutePath().toString());
        env.put("GOPROXY", "off");
        env.put("GOFLAGS", "");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("go build of src/test/go/tallycheck failed: " + out);
        }
        binary = target;
        return binary;
    }
}

package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What the runnable jar ships. It runs after the jar is packaged (the {@code production-jar} execution of
 * surefire in the verify phase, see the pom), which is why its name is not a {@code *Test}: the benchmarks and
 * the embedded PostgreSQL they start, and the store's testing helpers they use, belong to tally-bench's jar, never
 * to the one users run in production.
 */
class ProductionJarCheck {
    private static final List<String> FORBIDDEN =
            List.of("dev/tally/bench/", "dev/tally/cli/bench/", "io/zonky/", "dev/tally/store/testing/");

    @Test
    void theJarCarriesNoBenchmarksAndNoEmbeddedPostgres() throws IOException {
        List<String> names = entries();

        assertThat(names).as("the jar holds the CLI").contains("dev/tally/cli/TallyCli.class");
        assertThat(names)
                .as("bench, zonky or store-testing classes in the production jar")
                .noneMatch(name -> FORBIDDEN.stream().anyMatch(name::startsWith));
        assertThat(names).as("PostgreSQL binaries in the production jar").noneMatch(name -> name.endsWith(".txz"));
    }

    private static List<String> entries() throws IOException {
        String location = System.getProperty("tally.jar");
        assumeTrue(location != null, "runs in the production-jar execution, once the jar is packaged");
        Path jar = Path.of(location);
        assertThat(jar).as("the packaged jar").exists();
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(ZipEntry::getName).toList();
        }
    }
}

package dev.tally.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the http suite checks a batch answer without building it as a tree. */
class HttpBenchTest {

    @Test
    void theFailedCountIsReadFromTheTopOfABatchAnswer() throws Exception {
        assertThat(HttpBench.failed("{\"linked\":false,\"succeeded\":2,\"failed\":0,\"results\":[{\"failed\":7},{}]}"))
                .isZero();
        assertThat(HttpBench.failed("{\"results\":[{\"failed\":0}],\"linked\":true,\"failed\":3}"))
                .isEqualTo(3);
    }

    @Test
    void anAnswerWithoutAFailedCountCountsAsFailed() throws Exception {
        assertThat(HttpBench.failed("{\"results\":[{\"failed\":0}]}")).isEqualTo(-1);
        assertThat(HttpBench.failed("[0]")).isEqualTo(-1);
        assertThat(HttpBench.failed("{\"failed\":\"0\"}")).isEqualTo(-1);
    }
}

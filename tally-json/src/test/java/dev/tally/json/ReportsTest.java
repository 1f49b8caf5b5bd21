package dev.tally.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.audit.ReportJson;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A report's tree is the JSON the store keeps for it, built without writing and parsing text. */
class ReportsTest {
    @Test
    void theTreeIsWhatTheStoredReportSays() {
        Map<String, Object> report = sample();

        // Compared as written text: a parser picks its own node classes (an int where the report has a long).
        assertThat(Views.write(Reports.tree(report))).isEqualTo(Views.write(Views.read(ReportJson.write(report))));
    }

    @Test
    void fieldsKeepTheReportsOrder() {
        JsonNode tree = Reports.tree(sample());

        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyElementsOf(sample().keySet());
    }

    @Test
    void valuesThatAreNotPlainAreWrittenAsTheirText() {
        assertThat(Reports.tree(Duration.ofSeconds(90)).asText()).isEqualTo("PT1M30S");
    }

    @Test
    void numbersStayNumbers() {
        JsonNode tree = Reports.tree(Map.of("n", 3L, "i", 4, "d", 0.25, "b", new BigDecimal("12.50")));

        assertThat(tree.get("n").isIntegralNumber()).isTrue();
        assertThat(tree.get("i").asInt()).isEqualTo(4);
        assertThat(tree.get("d").asDouble()).isEqualTo(0.25);
        assertThat(tree.get("b").decimalValue()).isEqualByComparingTo("12.50");
    }

    private static Map<String, Object> sample() {
        Map<String, Object> finding = new LinkedHashMap<>();
        finding.put("error_type", "HASH_MISMATCH");
        finding.put("index", 41L);
        finding.put("message", "entry \"tx-42\" does not hash\nto\tits stored hash \\ \u0001");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", false);
        m.put("message", "❌ broken");
        m.put("total_transactions", 1_000_000L);
        m.put("threads", 16);
        m.put("ratio", 1.5);
        m.put("first_transaction", Map.of("id", "tx-1"));
        m.put("findings", List.of(finding));
        m.put("empty", List.of());
        m.put("absent", null);
        m.put("mixed", Arrays.asList(1, "two", null, true));
        return m;
    }
}

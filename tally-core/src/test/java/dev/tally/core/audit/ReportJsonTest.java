package dev.tally.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A report's plain values as compact JSON, without a JSON library. */
class ReportJsonTest {
    @Test
    void scalarsAreWrittenAsJsonLiterals() {
        assertThat(ReportJson.write("text")).isEqualTo("\"text\"");
        assertThat(ReportJson.write(true)).isEqualTo("true");
        assertThat(ReportJson.write(42L)).isEqualTo("42");
        assertThat(ReportJson.write(-7)).isEqualTo("-7");
        assertThat(ReportJson.write(new BigDecimal("12.50"))).isEqualTo("12.50");
    }

    @Test
    void aMapKeepsItsOrderAndNestsListsAndMaps() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("seq", 3L);
        inner.put("ok", false);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("valid", false);
        report.put("findings", List.of(inner, "second"));
        report.put("empty", Map.of());
        report.put("none", List.of());
        assertThat(ReportJson.write(report))
                .isEqualTo(
                        "{\"valid\":false,\"findings\":[{\"seq\":3,\"ok\":false},\"second\"],\"empty\":{},\"none\":[]}");
    }

    @Test
    void anAbsentValueIsNull() {
        List<Object> values = new ArrayList<>();
        values.add(null);
        values.add(1);
        assertThat(ReportJson.write(values)).isEqualTo("[null,1]");
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertThat(ReportJson.write("a\"b\\c\nd\re\tf\u0001g\u001fé"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fé\"");
    }

    @Test
    void otherValuesAndKeysAreWrittenAsTheirText() {
        UUID id = UUID.fromString("00000000-0000-0000-0000-00000000a11c");
        assertThat(ReportJson.write(Map.of(7, id))).isEqualTo("{\"7\":\"" + id + "\"}");
    }
}

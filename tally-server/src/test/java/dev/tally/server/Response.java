package dev.tally.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpHeaders;
import java.util.Optional;

/** One HTTP answer as tests look at it. */
record Response(int status, HttpHeaders headers, String body) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    JsonNode json() {
        try {
            return MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON (status " + status + "): " + body, e);
        }
    }

    Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    String contentType() {
        return header("Content-Type").orElse("");
    }

    /** The problem's {@code code}. */
    String code() {
        return json().path("code").asText();
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}

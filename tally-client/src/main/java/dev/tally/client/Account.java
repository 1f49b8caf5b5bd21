package dev.tally.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** An account as the server answers it; {@link #version()} is what If-Match carries. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Account(
        @JsonProperty("id") String id,
        @JsonProperty("username") String username,
        @JsonProperty("email") String email,
        @JsonProperty("role") String role,
        @JsonProperty("is_frozen_for_fraud") boolean frozen,
        @JsonProperty("version") long version,
        @JsonProperty("balances") Map<String, String> balances) {
    public Account {
        balances = balances == null ? Map.of() : Map.copyOf(balances);
    }
}

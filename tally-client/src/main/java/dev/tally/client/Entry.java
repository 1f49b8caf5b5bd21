package dev.tally.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** One ledger entry as the server answers it; amounts are decimal strings ("12.50"). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Entry(
        @JsonProperty("transaction_id") String transactionId,
        @JsonProperty("seq") long seq,
        @JsonProperty("type") String type,
        @JsonProperty("sender_id") @Nullable String senderId,
        @JsonProperty("receiver_id") @Nullable String receiverId,
        @JsonProperty("currency") String currency,
        @JsonProperty("amount_gross") String amountGross,
        @JsonProperty("tax_withheld") String taxWithheld,
        @JsonProperty("amount_net") String amountNet,
        @JsonProperty("tax_kind") String taxKind,
        @JsonProperty("previous_hash") String previousHash,
        @JsonProperty("current_hash") String currentHash) {}

package dev.tally.core.fraud;

import java.util.List;
import java.util.UUID;

/**
 * One rule firing on one payment: the account it is about (the sender, or the receiver for fan-in), the
 * transfers involved, and the figures that crossed the threshold, in words.
 */
public record Finding(String rule, FraudAction action, UUID account, List<String> transactionIds, String figures) {
    public Finding {
        transactionIds = List.copyOf(transactionIds);
    }

    /** The reason written on an account this finding freezes. */
    public String reason() {
        return "fraud shield: " + rule + ": " + figures;
    }
}

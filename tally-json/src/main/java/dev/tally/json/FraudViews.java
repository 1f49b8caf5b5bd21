package dev.tally.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.fraud.FraudEvent;

/** Fraud events as JSON. */
public final class FraudViews {
    private FraudViews() {}

    /** An event as JSON, as the API and {@code tally fraud events --json} show it. */
    public static ObjectNode event(FraudEvent e) {
        ObjectNode o = Views.object();
        o.put("id", e.id());
        o.put("rule", e.rule());
        o.put("account_id", e.account().toString());
        ArrayNode txs = Views.array();
        e.transactionIds().forEach(txs::add);
        o.set("transaction_ids", txs);
        o.put("figures", e.figures());
        o.put("action", e.action().label());
        o.put("created_at", e.createdAt().toString());
        o.put("status", e.status().label());
        if (e.resolvedBy().isPresent()) {
            o.put("resolved_by", e.resolvedBy().get());
        } else {
            o.putNull("resolved_by");
        }
        if (e.resolvedAt().isPresent()) {
            o.put("resolved_at", e.resolvedAt().get().toString());
        } else {
            o.putNull("resolved_at");
        }
        if (e.pendingTransactionId().isPresent()) {
            o.put("pending_transaction_id", e.pendingTransactionId().get());
        } else {
            o.putNull("pending_transaction_id");
        }
        return o;
    }
}

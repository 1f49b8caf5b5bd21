package dev.tally.client;

import java.util.UUID;

/**
 * A transfer to send. Its {@code transactionId} is the idempotency key: keep it for the retries of one payment
 * (the client does so by itself), and give each new payment a new one ({@link #of} draws a random one).
 *
 * @param type TRANSFER, PURCHASE (VAT) or INCOME (income tax)
 * @param amount the gross amount as a decimal string in the currency's scale ("12.50")
 */
public record Transfer(
        String transactionId, String type, String senderId, String receiverId, String currency, String amount) {

    /** A transfer of a new payment, with a new random transaction id. */
    public static Transfer of(String type, String senderId, String receiverId, String currency, String amount) {
        return new Transfer("tx-" + UUID.randomUUID(), type, senderId, receiverId, currency, amount);
    }

    /** A PURCHASE (the receiver's VAT goes to the treasury) under the caller's own id, such as an order number. */
    public static Transfer purchase(String transactionId, String buyer, String seller, String currency, String amount) {
        return new Transfer(transactionId, "PURCHASE", buyer, seller, currency, amount);
    }
}

package dev.tally.server.http;

import dev.tally.core.command.Command;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.ledger.merkle.MerkleLog;
import dev.tally.verify.Receipt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Receipts: a C2SP tlog-proof of one transaction that its holder verifies offline (docs/FORMAT.md §10). An
 * entry that no checkpoint covers yet waits up to {@code transparency.receipt_wait} for the next automatic
 * checkpoint and then has the server sign one (when it holds the checkpoint key; without one the answer is
 * 503 at once, to retry after a {@code tally checkpoint}). The wait is reported in {@code Tally-Receipt-Wait-Ms}.
 */
public final class ReceiptRoutes {
    private static final Duration POLL = Duration.ofMillis(20);

    private ReceiptRoutes() {}

    public static List<Route> routes() {
        return List.of(new Route(
                "GET",
                "/v1/transactions/{id}/receipt",
                Access.READ,
                "An offline-verifiable receipt of the transaction (C2SP tlog-proof)",
                ReceiptRoutes::receipt));
    }

    private static void receipt(Call call) throws InterruptedException {
        String id = call.path("id");
        if (id.length() > Command.MAX_TRANSACTION_ID) {
            throw ApiException.rejected(Rejection.of(RejectionCode.UNKNOWN_TRANSACTION, "no transaction " + id));
        }
        MerkleLog log = call.ledger().log().merkleLog();
        long start = System.nanoTime();
        Optional<Receipt> receipt = log.receipt(id);
        if (receipt.isEmpty() && call.server().config().checkpoints().isPresent()) {
            // Wait a moment for the next automatic checkpoint, which many receipts can share; then sign one.
            long deadline =
                    start + call.server().config().transparency().receiptWait().toNanos();
            while (receipt.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(POLL.toMillis());
                receipt = log.receipt(id);
            }
            if (receipt.isEmpty()) {
                call.ledger().log().checkpoint();
                receipt = log.receipt(id);
            }
        }
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        call.responseHeader("Tally-Receipt-Wait-Ms", Long.toString(waitedMs));
        if (receipt.isEmpty()) {
            call.responseHeader("Retry-After", "5");
            throw ApiException.of(
                    ApiCode.NOT_YET_CHECKPOINTED,
                    "no signed checkpoint covers transaction " + id + " yet (waited " + waitedMs + " ms); retry later");
        }
        call.bytes(200, "text/plain; charset=utf-8", receipt.get().format().getBytes(StandardCharsets.UTF_8));
    }
}

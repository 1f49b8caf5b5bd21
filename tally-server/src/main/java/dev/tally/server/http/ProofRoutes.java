package dev.tally.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.command.Command;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.json.Views;
import dev.tally.ledger.merkle.MerkleLog;
import dev.tally.ledger.merkle.SignedCheckpoint;
import dev.tally.verify.ProofException;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The ledger as a verifiable log (RFC 9162): the newest signed checkpoint (C2SP signed note), the
 * inclusion proof of a transaction, and the consistency proof between two tree sizes. Proof answers are
 * the proof documents of {@code dev.tally.verify} (transparency-dev field names, base64 hashes), which an
 * auditor checks with that dependency-free module alone. Reads: every role.
 */
public final class ProofRoutes {
    private ProofRoutes() {}

    public static List<Route> routes() {
        return List.of(
                new Route(
                        "GET",
                        "/v1/audit/checkpoint",
                        Access.READ,
                        "The newest signed checkpoint",
                        ProofRoutes::checkpoint),
                new Route(
                        "GET",
                        "/v1/audit/proofs/inclusion/{id}",
                        Access.READ,
                        "The inclusion proof of a transaction (tree_size optional)",
                        ProofRoutes::inclusion),
                new Route(
                        "GET",
                        "/v1/audit/proofs/consistency",
                        Access.READ,
                        "The consistency proof between two tree sizes",
                        ProofRoutes::consistency));
    }

    private static void checkpoint(Call call) {
        SignedCheckpoint c = call.ledger()
                .log()
                .merkleLog()
                .latestCheckpoint()
                .orElseThrow(() -> ApiException.of(
                        ApiCode.NOT_FOUND, "no checkpoint has been signed yet (configure checkpoints.private_key)"));
        ObjectNode o = Views.object();
        o.put("origin", c.checkpoint().origin());
        o.put("tree_size", c.size());
        o.put("root_hash", Base64.getEncoder().encodeToString(c.checkpoint().rootHash()));
        o.put("created_at", c.createdAt().toString());
        o.put("note", c.note());
        call.json(200, o);
    }

    private static void inclusion(Call call) {
        String id = call.path("id");
        MerkleLog log = call.ledger().log().merkleLog();
        // Live or archived: an entry of an archived month is still proved from the stored tree.
        long seq = (id.length() > Command.MAX_TRANSACTION_ID ? OptionalLong.empty() : log.seqOf(id))
                .orElseThrow(() ->
                        ApiException.rejected(Rejection.of(RejectionCode.UNKNOWN_TRANSACTION, "no transaction " + id)));
        long size = call.query("tree_size").map(t -> count("tree_size", t)).orElseGet(() -> log.defaultSize(seq));
        proof(call, "tree_size", () -> log.inclusionProof(id, size).toJson());
    }

    private static void consistency(Call call) {
        MerkleLog log = call.ledger().log().merkleLog();
        long size1 = call.query("size1")
                .map(t -> count("size1", t))
                .orElseThrow(() -> ApiException.invalid("size1", "size1 (the smaller tree size) is required"));
        long size2 = call.query("size2")
                .map(t -> count("size2", t))
                .orElseGet(() -> log.latestCheckpoint()
                        .map(SignedCheckpoint::size)
                        .filter(s -> s >= size1)
                        .orElseGet(log::size));
        proof(call, "size2", () -> log.consistencyProof(size1, size2).toJson());
    }

    /** Answers with a proof document; a size outside the tree is the client's to fix (422 on the size). */
    private static void proof(Call call, String field, Supplier<String> json) {
        String document;
        try {
            document = json.get();
        } catch (ProofException e) {
            throw ApiException.invalid(field, e.getMessage());
        }
        call.text(200, "application/json", document);
    }

    private static long count(String field, String text) {
        try {
            long n = Long.parseLong(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid(field, field + " must be a whole number of entries, 0 or more");
    }
}

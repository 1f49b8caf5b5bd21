package dev.tally.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A client of {@code tally serve}, for one API key. Thread-safe.
 *
 * <ul>
 *   <li>Refusals throw {@link TallyProblem} with the server's stable code.
 *   <li>Money movements are retried after a dropped connection, a timeout or a 503 that says to retry, always with
 *       the same {@code transaction_id}: the server writes the entry once and answers a retry with the same entry,
 *       so a retry can never pay twice. {@link Written#outcome()} says whether this call wrote it.
 *   <li>{@link #changeEmail} reads the account, applies the change and sends it with {@code If-Match}, reading
 *       again when another writer got there first (412).
 *   <li>{@link #verifyInclusion} checks a transaction's inclusion proof against a pinned checkpoint key, so a game
 *       server need not trust the ledger's host.
 * </ul>
 */
public final class TallyClient {
    /** 503 codes that say the request was not done and may be sent again. */
    private static final Set<String> RETRYABLE = Set.of("SHUTTING_DOWN", "STORE_UNAVAILABLE", "LEDGER_HALTED");

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final HttpClient http;
    private final String base;
    private final String apiKey;
    private final Duration timeout;
    private final int attempts;
    private final Duration backoff;

    private TallyClient(Builder b) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.timeout)
                .build();
        this.base = b.baseUri.toString().replaceAll("/+$", "");
        this.apiKey = b.apiKey;
        this.timeout = b.timeout;
        this.attempts = b.attempts;
        this.backoff = b.backoff;
    }

    /** A client of the server at {@code baseUri} (such as {@code http://localhost:8080}) with an API key. */
    public static Builder builder(URI baseUri, String apiKey) {
        return new Builder(baseUri, apiKey);
    }

    // ---- accounts -------------------------------------------------------------------------------

    /** Opens a USER account. Not retried: a retry after a lost answer could meet its own account (409). */
    public Account createAccount(String username, String email) {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("email", email);
        return as(send("POST", "/v1/accounts", Optional.of(body), Optional.empty(), false), Account.class);
    }

    /** An account by id or username. */
    public Account account(String idOrUsername) {
        return as(
                send("GET", "/v1/accounts/" + segment(idOrUsername), Optional.empty(), Optional.empty(), true),
                Account.class);
    }

    /**
     * Changes an account's e-mail with optimistic concurrency: reads the account, computes the new e-mail from it,
     * and sends it with the version read in {@code If-Match}; when the account changed in between (412), reads it
     * again and recomputes, up to the client's attempts.
     */
    public Account changeEmail(String idOrUsername, Function<Account, String> change) {
        TallyProblem last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            Account current = account(idOrUsername);
            ObjectNode body = JSON.createObjectNode().put("email", change.apply(current));
            try {
                return as(
                        send(
                                "PATCH",
                                "/v1/accounts/" + segment(current.id()),
                                Optional.of(body),
                                Optional.of("\"" + current.version() + "\""),
                                false),
                        Account.class);
            } catch (TallyProblem p) {
                if (p.status() != 412) {
                    throw p;
                }
                last = p;
            }
        }
        throw Objects.requireNonNull(last);
    }

    /** An account's entries, newest first ({@code direction}: sent, received or all). */
    public List<Entry> history(String idOrUsername, String direction, int limit) {
        JsonNode page = send(
                "GET",
                "/v1/accounts/" + segment(idOrUsername) + "/history?direction=" + segment(direction) + "&limit="
                        + limit,
                Optional.empty(),
                Optional.empty(),
                true);
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : page.path("entries")) {
            entries.add(as(e, Entry.class));
        }
        return entries;
    }

    /** Creates an API key (admin key) and returns its secret, which the server shows only in this answer. */
    public String createApiKey(String name, String role) {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("role", role);
        return send("POST", "/v1/admin/api-keys", Optional.of(body), Optional.empty(), false)
                .path("secret")
                .asText();
    }

    // ---- money ----------------------------------------------------------------------------------

    /** Sends a transfer, retrying safely; see the class comment. */
    public Written transfer(Transfer t) {
        ObjectNode body = JSON.createObjectNode()
                .put("transaction_id", t.transactionId())
                .put("type", t.type())
                .put("sender_id", t.senderId())
                .put("receiver_id", t.receiverId())
                .put("currency", t.currency())
                .put("amount", t.amount());
        return movement("/v1/transfers", body);
    }

    /** Creates money in an account (admin key), retrying safely under {@code transactionId}. */
    public Written mint(String transactionId, String receiver, String currency, String amount) {
        ObjectNode body = JSON.createObjectNode()
                .put("transaction_id", transactionId)
                .put("receiver_id", receiver)
                .put("currency", currency)
                .put("amount", amount);
        return movement("/v1/mint", body);
    }

    /** A transaction by its id. */
    public Entry transaction(String transactionId) {
        return as(
                send("GET", "/v1/transactions/" + segment(transactionId), Optional.empty(), Optional.empty(), true),
                Entry.class);
    }

    // ---- proofs ---------------------------------------------------------------------------------

    /** The server's inclusion proof document for a transaction, as JSON text (see {@link #checkInclusion}). */
    public String inclusionProof(String transactionId) {
        return send(
                        "GET",
                        "/v1/audit/proofs/inclusion/" + segment(transactionId),
                        Optional.empty(),
                        Optional.empty(),
                        true)
                .toString();
    }

    /**
     * Fetches the transaction and its inclusion proof, and checks on this side that the entry is in the log whose
     * checkpoint the pinned key signed.
     *
     * @param verifierKey the checkpoint key's C2SP verifier key ({@code tally keygen}'s checkpoint.pub), pinned by
     *     the caller, never taken from the server
     * @throws ProofRejected if the proof does not check out
     */
    public VerifiedInclusion verifyInclusion(String transactionId, String verifierKey) {
        Entry entry = transaction(transactionId);
        return checkInclusion(inclusionProof(transactionId), entry, verifierKey);
    }

    /** Checks an inclusion proof document against an entry and a pinned verifier key; no network. */
    public static VerifiedInclusion checkInclusion(String proofJson, Entry entry, String verifierKey) {
        return InclusionCheck.check(proofJson, entry, verifierKey);
    }

    // ---- transport ------------------------------------------------------------------------------

    private Written movement(String path, ObjectNode body) {
        Reply r = exchange("POST", path, Optional.of(body), Optional.empty(), true);
        if (r.status() == 202) {
            return held(r.json());
        }
        return new Written(
                as(r.json(), Entry.class), r.status() == 201 ? Written.Outcome.CREATED : Written.Outcome.REPLAYED);
    }

    /** A payment a fraud rule held: the answer wraps the pending transfer it became. */
    private static Written held(JsonNode answer) {
        JsonNode event = answer.path("fraud_event_id");
        Written.Hold hold = new Written.Hold(
                answer.path("rule").asText(),
                event.isIntegralNumber() ? Optional.of(event.asLong()) : Optional.empty(),
                answer.path("expires_at").asText(),
                answer.path("message").asText());
        return new Written(as(answer.path("entry"), Entry.class), Written.Outcome.HELD, Optional.of(hold));
    }

    private JsonNode send(
            String method, String path, Optional<JsonNode> body, Optional<String> ifMatch, boolean retry) {
        return exchange(method, path, body, ifMatch, retry).json();
    }

    /**
     * One request, sent again (the same bytes) after an I/O failure or a retryable 503 when {@code retry}: only
     * for requests that the server does at most once (reads, and movements under their transaction_id).
     */
    private Reply exchange(
            String method, String path, Optional<JsonNode> body, Optional<String> ifMatch, boolean retry) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json")
                .method(
                        method,
                        body.map(j -> HttpRequest.BodyPublishers.ofString(j.toString(), StandardCharsets.UTF_8))
                                .orElse(HttpRequest.BodyPublishers.noBody()));
        body.ifPresent(j -> b.header("Content-Type", "application/json"));
        ifMatch.ifPresent(v -> b.header("If-Match", v));
        HttpRequest request = b.build();
        int tries = retry ? attempts : 1;
        RuntimeException last = null;
        for (int attempt = 1; attempt <= tries; attempt++) {
            if (attempt > 1) {
                pause(attempt);
            }
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                last = new UncheckedIOException(method + " " + path + " failed: " + e, e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            Reply reply = new Reply(response.statusCode(), parse(response.body()));
            if (reply.status() < 400) {
                return reply;
            }
            TallyProblem problem = problem(reply);
            if (reply.status() == 503 && RETRYABLE.contains(problem.code())) {
                last = problem;
                continue;
            }
            throw problem;
        }
        throw Objects.requireNonNull(last);
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(backoff.multipliedBy(1L << Math.min(attempt - 2, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static TallyProblem problem(Reply r) {
        JsonNode p = r.json();
        return new TallyProblem(
                r.status(),
                p.path("code").asText("HTTP_" + r.status()),
                p.path("title").asText(""),
                p.path("detail").asText(""),
                p.hasNonNull("field") ? Optional.of(p.get("field").asText()) : Optional.empty());
    }

    private static JsonNode parse(String body) {
        if (body.isEmpty()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("detail", body);
        }
    }

    private static <T> T as(JsonNode node, Class<T> type) {
        try {
            return JSON.treeToValue(node, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unexpected answer: " + node, e);
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record Reply(int status, JsonNode json) {}

    /** Options of a client. */
    public static final class Builder {
        private final URI baseUri;
        private final String apiKey;
        private Duration timeout = Duration.ofSeconds(10);
        private int attempts = 4;
        private Duration backoff = Duration.ofMillis(100);

        private Builder(URI baseUri, String apiKey) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        /** How long one attempt may take (default 10 s); a timed-out movement is retried. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How many times a retryable request is sent at most (default 4), and the first pause (doubling). */
        public Builder retries(int attempts, Duration backoff) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1");
            }
            this.attempts = attempts;
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        public TallyClient build() {
            return new TallyClient(this);
        }
    }

    @Override
    public String toString() {
        return "TallyClient[" + base + "]";
    }
}

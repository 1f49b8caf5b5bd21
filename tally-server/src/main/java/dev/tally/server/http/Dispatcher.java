package dev.tally.server.http;

import dev.tally.core.error.LedgerHaltedException;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.error.StoreException;
import dev.tally.core.error.TallyException;
import dev.tally.server.auth.ApiKey;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every route the same way: admit the request (or 503 while draining), authenticate the bearer key
 * (401), check the role against the route's {@link Access} (403), check the declared body size (413), run
 * the handler, and turn any failure into problem+json. A 5xx answer carries a reference to the log line,
 * never a stack trace or an internal message. Thread-safe.
 */
public final class Dispatcher {
    /** Request attribute set once a problem was written, so Javalin's status-code error pages leave it alone. */
    public static final String PROBLEM_WRITTEN = "tally.problem";

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** Compiled once: {@code String.split("\\s+")} would compile it on every request. */
    private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("\\s+");

    private final ServerContext server;

    public Dispatcher(ServerContext server) {
        this.server = server;
    }

    /** The Javalin handler of a route. */
    public Handler handler(Route route) {
        return ctx -> dispatch(route, ctx);
    }

    private void dispatch(Route route, Context ctx) {
        long start = System.nanoTime();
        // Health answers while draining too (with 503 DOWN), so a load balancer sees why; it is not counted.
        boolean health = route.path().startsWith("/health");
        if (!health && !server.inflight().enter()) {
            ctx.header("Connection", "close").header("Retry-After", "5");
            problem(
                    ctx,
                    Problem.of(
                            ApiCode.SHUTTING_DOWN, "the server is shutting down; retry on another instance or later"));
            server.metrics().request(route.method(), route.path(), ctx.statusCode(), System.nanoTime() - start);
            return;
        }
        try {
            Optional<ApiKey> key = authorise(route, ctx);
            long declared = ctx.req().getContentLengthLong();
            if (declared > server.config().limits().maxBodyBytes()) {
                Call.discardBody(ctx, 4 * server.config().limits().maxBodyBytes());
                throw ApiException.of(
                        ApiCode.PAYLOAD_TOO_LARGE,
                        "the body is larger than " + server.config().limits().maxBodyBytes() + " bytes");
            }
            route.handler().handle(new Call(ctx, server, key));
        } catch (Throwable t) {
            problem(ctx, toProblem(t, ctx));
            if (t instanceof Error e && !(t instanceof AssertionError)) {
                throw e;
            }
        } finally {
            if (!health) {
                server.inflight().exit();
            }
            server.metrics().request(route.method(), route.path(), ctx.statusCode(), System.nanoTime() - start);
        }
    }

    private Optional<ApiKey> authorise(Route route, Context ctx) {
        if (route.access().open()) {
            return Optional.empty();
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"tally\"");
            throw ApiException.of(ApiCode.UNAUTHORIZED, "send an API key as 'Authorization: Bearer KEY'");
        }
        String[] parts = BLANKS.split(header.strip(), 2);
        if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"tally\"");
            throw ApiException.of(ApiCode.UNAUTHORIZED, "the Authorization header must be 'Bearer KEY'");
        }
        Optional<ApiKey> key = server.keys().authenticate(parts[1].strip());
        if (key.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"tally\", error=\"invalid_token\"");
            throw ApiException.of(ApiCode.UNAUTHORIZED, "the API key is unknown or revoked");
        }
        if (!route.access().allows(key.get().role())) {
            throw ApiException.of(
                    ApiCode.FORBIDDEN,
                    "a " + key.get().role().label() + " key may not call " + route + " (allowed: "
                            + route.access().roles().stream()
                                    .map(r -> r.label())
                                    .sorted()
                                    .toList() + ")");
        }
        return key;
    }

    /** Maps any failure to the problem a client may see. */
    Problem toProblem(Throwable failure, Context ctx) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return switch (t) {
            case ApiException a -> a.problem();
            case RejectedException r -> Problem.rejection(r.rejection());
            // The domain's validators (Account, Command, Money) throw these with a sentence meant for people.
            case IllegalArgumentException i
            when !(i instanceof NumberFormatException) ->
                new Problem(
                        ApiCode.VALIDATION_FAILED.name(),
                        422,
                        ApiCode.VALIDATION_FAILED.title(),
                        String.valueOf(i.getMessage()),
                        Optional.empty(),
                        java.util.Map.of());
            case LedgerHaltedException h -> halted(h);
            case TallyException x
            when server.inflight().draining() ->
                Problem.of(
                        ApiCode.SHUTTING_DOWN,
                        "the server is shutting down; the command was not accepted, retry it with the same transaction_id");
            case StoreException s -> internal(ApiCode.STORE_UNAVAILABLE, s, ctx);
            default -> internal(ApiCode.INTERNAL_ERROR, t, ctx);
        };
    }

    /**
     * The writer stopped: 503 {@code LEDGER_HALTED}, saying whether this command may have been written. The
     * reason stays in the log and on {@code /health}, for the operator.
     */
    private static Problem halted(LedgerHaltedException h) {
        String detail = "the ledger stopped writing after an internal failure and waits for an operator to restart it; "
                + (h.mayHaveBeenWritten()
                        ? "this command may have been written: resend it with the same transaction_id after the restart"
                        : "this command was not written");
        return Problem.rejection(Rejection.of(RejectionCode.LEDGER_HALTED, detail));
    }

    private static Problem internal(ApiCode code, Throwable t, Context ctx) {
        String reference = UUID.randomUUID().toString();
        LOG.error("{} {} failed (reference {})", ctx.method(), ctx.path(), reference, t);
        return Problem.of(code, "the request failed on the server; quote reference " + reference + " to the operator");
    }

    /** Writes a problem as the answer. */
    static void problem(Context ctx, Problem p) {
        ctx.attribute(PROBLEM_WRITTEN, true);
        // Bytes, not a String: Jetty would encode a String in ISO-8859-1 for a media type it does not know as UTF-8.
        ctx.status(p.status())
                .contentType(Problem.CONTENT_TYPE)
                .result(dev.tally.json.Views.compactBytes(p.toJson(ctx.path())));
    }
}

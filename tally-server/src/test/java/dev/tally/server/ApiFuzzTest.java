package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tally.ledger.SupplyReport;
import dev.tally.store.testing.StoreKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The API fuzz test: seeded random requests against every route of the server's route table (so a new
 * route is fuzzed without touching this test), with valid, nearly valid and garbage bodies, odd headers and
 * every kind of key. Whatever comes in: no 5xx, a refused request writes nothing (the whole database is
 * compared around it), and afterwards the chain verifies, reconciliation passes and supply is conserved.
 *
 * <p>The quick version runs in the suite with a fixed seed. For a long run: {@code -Dtally.fuzz.tries=20000
 * -Dtally.fuzz.seconds=3600 -Dtally.fuzz.seed=random}; to replay a failure, {@code -Dtally.fuzz.seed=<the seed
 * in its message>}.
 */
class ApiFuzzTest {
    private static final int TRIES = Integer.getInteger("tally.fuzz.tries", 300);
    private static final long SECONDS = Long.getLong("tally.fuzz.seconds", 20);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void noRequestGetsA5xxOrWritesWhenRefusedAndTheLedgerStaysSound(StoreKind kind) {
        long seed = seed();
        try (Running s = Running.start(kind)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.account("carol");
            s.mint(alice, "1000.00");
            s.mint(bob, "1000.00");
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("admin", s.admin);
            keys.put("service", s.service);
            keys.put("auditor", s.auditor);
            keys.put("wrong", "tally_not-a-key-0123456789");
            RequestFuzzer fuzzer =
                    new RequestFuzzer(seed, s.server.routes(), keys, List.of(alice, bob, "alice", "bob", "carol"));
            Tally tally = fuzz(s, fuzzer, seed);
            System.out.printf(
                    "api fuzz [%s] seed=%d: %d requests, %d accepted (2xx), %d refused (4xx), %d not sendable, %d resent on a new connection%n",
                    kind, seed, tally.sent, tally.accepted, tally.refused, tally.unsendable, tally.reconnects);

            assertThat(s.server.ledger().audit().verifyChainIntegrity().valid())
                    .as("chain verifies after the run (seed %d)", seed)
                    .isTrue();
            assertThat(s.server.ledger().audit().reconcile().valid())
                    .as("reconciliation passes after the run (seed %d)", seed)
                    .isTrue();
            assertThat(s.server.ledger().reads().supply())
                    .as("supply conserved after the run (seed %d)", seed)
                    .allMatch(SupplyReport::conserved);
            assertThat(tally.accepted)
                    .as("the fuzzer got some requests through")
                    .isPositive();
            assertThat(tally.refused).as("the fuzzer got some requests refused").isPositive();
        }
    }

    /**
     * The suite runs a fixed seed, so that it is repeatable; {@code -Dtally.fuzz.seed=random} draws a new one
     * (printed, and named in every failure), {@code -Dtally.fuzz.seed=N} replays one.
     */
    private static long seed() {
        String property = System.getProperty("tally.fuzz.seed", "20261205");
        return property.equals("random") ? System.nanoTime() : Long.parseLong(property);
    }

    /** Counts of one run. */
    private static final class Tally {
        int sent;
        int accepted;
        int refused;
        int unsendable;
        int reconnects;
        String previous = "";
    }

    private static Tally fuzz(Running s, RequestFuzzer fuzzer, long seed) {
        Tally tally = new Tally();
        long deadline = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
        String before = s.dump();
        for (int i = 0; i < TRIES && System.nanoTime() < deadline; i++) {
            RequestFuzzer.Request request = fuzzer.next();
            HttpResponse<String> answer;
            try {
                answer = sendOnce(s.server.port(), request, tally);
            } catch (IllegalArgumentException notSendable) {
                tally.unsendable++; // the JDK client refuses some generated headers or URIs before sending
                continue;
            }
            tally.sent++;
            tally.previous = request.describe() + " -> " + answer.statusCode();
            String what = "request #" + i + " (seed " + seed + "): " + request.describe() + "\n  answered "
                    + answer.statusCode() + " " + answer.body();
            assertThat(answer.statusCode()).as("no 5xx: " + what).isLessThan(500);
            String after = s.dump();
            if (answer.statusCode() / 100 == 2) {
                tally.accepted++;
                fuzzer.learn(request, answer.statusCode(), answer.body());
            } else {
                tally.refused++;
                if (!after.equals(before)) {
                    fail("a refused request wrote to the database: " + what);
                }
            }
            before = after;
        }
        return tally;
    }

    /**
     * Sends; when a reused keep-alive connection turns out to have been closed by the server before the
     * request reached it (the JDK client reads no bytes at all), sends once more on a new connection.
     */
    private static HttpResponse<String> sendOnce(int port, RequestFuzzer.Request r, Tally tally) {
        try {
            return send(HTTP, port, r);
        } catch (StaleConnection e) {
            tally.reconnects++;
            System.out.println(
                    "api fuzz: the connection was closed after " + tally.previous + "; sending again: " + r.describe());
            try (HttpClient fresh =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                return send(fresh, port, r);
            } catch (StaleConnection again) {
                throw new AssertionError("the server dropped the connection twice: " + r.describe(), again.getCause());
            }
        }
    }

    /**
     * A reused keep-alive connection that the server had already closed: the client reads no bytes at all,
     * or, when the server closed it with bytes of the previous exchange unread (a refused request's body), the
     * kernel answers the next write with a reset. Either way the request never reached the server's handler;
     * a resend on a new connection tells that apart from a server that drops this request itself.
     */
    private static boolean closedBeforeThisRequest(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("received no bytes") || message.contains("Connection reset");
    }

    /** The connection closed before any byte of an answer. */
    private static final class StaleConnection extends RuntimeException {
        StaleConnection(IOException cause) {
            super(cause);
        }
    }

    private static HttpResponse<String> send(HttpClient http, int port, RequestFuzzer.Request r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + r.path()))
                .timeout(Duration.ofSeconds(60))
                .method(
                        r.method(),
                        r.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach(b::header);
        if (r.key() != null) {
            b.header("Authorization", "Bearer " + r.key());
        }
        try {
            HttpResponse<String> answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            OpenApiContract.check(
                    r.method(),
                    r.path(),
                    answer.statusCode(),
                    answer.headers().firstValue("Content-Type"),
                    answer.body());
            return answer;
        } catch (IOException e) {
            if (closedBeforeThisRequest(e)) {
                throw new StaleConnection(e);
            }
            throw new AssertionError("the server dropped the connection: " + r.describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

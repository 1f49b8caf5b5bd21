package dev.tally.ledger.witness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The witness over HTTP (the JDK's server, a virtual thread per request): {@code POST /add-checkpoint} and
 * {@code GET /<origin hash>/checkpoint}, both prefixes being the server's root. Bodies above 64 KiB are
 * refused (a checkpoint with 63 proof lines is a few KiB).
 */
public final class WitnessServer implements AutoCloseable {
    private static final int MAX_BODY = 64 * 1024;

    private final HttpServer http;

    private WitnessServer(HttpServer http) {
        this.http = http;
    }

    /** Listens on {@code host:port} (0: any free port). */
    public static WitnessServer start(Witness witness, String host, int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", exchange -> {
            try (exchange) {
                handle(witness, exchange);
            }
        });
        http.start();
        return new WitnessServer(http);
    }

    private static void handle(Witness witness, HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        Witness.Answer answer;
        if (path.equals("/add-checkpoint")) {
            if (!method.equals("POST")) {
                answer = new Witness.Answer(405, "text/plain", "POST only\n");
            } else {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readNBytes(MAX_BODY + 1);
                }
                answer = body.length > MAX_BODY
                        ? new Witness.Answer(413, "text/plain", "too large\n")
                        : witness.addCheckpoint(new String(body, StandardCharsets.UTF_8));
            }
        } else if (method.equals("GET") && path.matches("/[0-9a-f]{64}/checkpoint")) {
            answer = witness.checkpoint(path.substring(1, 65));
        } else {
            answer = new Witness.Answer(404, "text/plain", "not found\n");
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}

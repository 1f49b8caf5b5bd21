package dev.tally.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bench's load-generator client against a scripted HTTP/1.1 server on loopback. */
class LoopbackHttpTest {

    @Test
    void sendsTheBodyWithItsKeyAndReadsAnAnswerByContentLength() throws Exception {
        try (Scripted server = new Scripted(List.of("HTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\n{\"a\":1}"));
                LoopbackHttp http = new LoopbackHttp("127.0.0.1", server.port(), "k1")) {
            LoopbackHttp.Answer a = http.post("/v1/transfers", "{\"x\":\"é\"}");

            assertThat(a.status()).isEqualTo(201);
            assertThat(a.body()).isEqualTo("{\"a\":1}");
            assertThat(server.requests.getFirst())
                    .startsWith("POST /v1/transfers HTTP/1.1")
                    .contains("Authorization: Bearer k1")
                    .contains("Content-Length: 10")
                    .endsWith("{\"x\":\"é\"}");
        }
    }

    @Test
    void readsAChunkedAnswerWhole() throws Exception {
        try (Scripted server = new Scripted(List.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n"));
                LoopbackHttp http = new LoopbackHttp("127.0.0.1", server.port(), "k")) {
            LoopbackHttp.Answer a = http.post("/v1/transfers/batch", "{}");

            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).isEqualTo("{\"a\":1}");
        }
    }

    @Test
    void keepsOneConnectionAliveAcrossRequests() throws Exception {
        String ok = "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}";
        try (Scripted server = new Scripted(List.of(ok, ok, ok));
                LoopbackHttp http = new LoopbackHttp("127.0.0.1", server.port(), "k")) {
            for (int i = 0; i < 3; i++) {
                assertThat(http.post("/v1/transfers", "{}").status()).isEqualTo(201);
            }

            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    /** Answers each request it reads with the next scripted answer, on as many connections as come. */
    private static final class Scripted implements AutoCloseable {
        final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket socket;
        private final List<String> answers;

        Scripted(List<String> answers) throws IOException {
            this.answers = new ArrayList<>(answers);
            this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s));
                }
            } catch (IOException closed) {
                // stopped
            }
        }

        private void serve(Socket s) {
            try (s;
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                OutputStream out = s.getOutputStream();
                while (true) {
                    StringBuilder request = new StringBuilder();
                    int length = 0;
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        request.append(line).append("\r\n");
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    if (request.isEmpty()) {
                        return;
                    }
                    // The body is UTF-8: read characters until their encoding adds up to Content-Length bytes.
                    StringBuilder body = new StringBuilder();
                    int bytes = 0;
                    while (bytes < length) {
                        char c = (char) in.read();
                        body.append(c);
                        bytes += String.valueOf(c).getBytes(StandardCharsets.UTF_8).length;
                    }
                    requests.add(request.append("\r\n").append(body).toString());
                    String answer;
                    synchronized (answers) {
                        answer = answers.removeFirst();
                    }
                    out.write(answer.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException | RuntimeException gone) {
                // the client closed
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

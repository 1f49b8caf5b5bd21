package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.testing.StoreKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every JSON answer, problems included, is UTF-8 and its Content-Type says so; read as raw bytes from a
 * socket, so that no client library's decoding hides a Latin-1 body.
 */
class Utf8BodiesTest {
    private static final String NAME = "jörg€名";

    @Test
    void aProblemNamingNonAsciiInputIsUtf8AndSaysSo() throws IOException {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            Raw r = get(s, "/v1/accounts/" + encode(NAME), s.admin);
            assertThat(r.head).startsWith("HTTP/1.1 404");
            assertThat(r.contentType()).isEqualTo("application/problem+json;charset=utf-8");
            assertThat(r.body)
                    .as(new String(r.body, StandardCharsets.ISO_8859_1))
                    .containsSubsequence(NAME.getBytes(StandardCharsets.UTF_8));
            assertThat(new String(r.body, StandardCharsets.UTF_8)).contains("no account " + NAME);
        }
    }

    @Test
    void aProblemOfAnUnknownRouteSaysItIsUtf8() throws IOException {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            Raw r = get(s, "/v1/" + encode(NAME), s.admin);
            assertThat(r.head).startsWith("HTTP/1.1 404");
            assertThat(r.contentType()).isEqualTo("application/problem+json;charset=utf-8");
        }
    }

    @Test
    void aJsonAnswerWithNonAsciiTextIsUtf8AndSaysSo() throws IOException {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            Response created = s.http.post(
                    "/v1/accounts", s.admin, "{\"username\":\"jorg\",\"email\":\"" + NAME + "@example.com\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            Raw r = get(s, "/v1/accounts/jorg", s.admin);
            assertThat(r.head).startsWith("HTTP/1.1 200");
            assertThat(r.contentType()).isEqualTo("application/json;charset=utf-8");
            assertThat(new String(r.body, StandardCharsets.UTF_8)).contains(NAME + "@example.com");
        }
    }

    /** The head (status line and headers) and the body bytes of one answer. */
    private record Raw(String head, byte[] body) {
        String contentType() {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    return line.substring("content-type:".length())
                            .replace(" ", "")
                            .toLowerCase(Locale.ROOT);
                }
            }
            return "";
        }
    }

    private static Raw get(Running s, String path, String key) throws IOException {
        try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), s.server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            byte[] bytes = all.toByteArray();
            int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(end).as("an HTTP answer").isPositive();
            byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
            Raw raw = new Raw(new String(bytes, 0, end, StandardCharsets.ISO_8859_1), body);
            OpenApiContract.check(
                    "GET",
                    path,
                    Integer.parseInt(raw.head.substring(9, 12)),
                    Optional.of(raw.contentType()),
                    new String(
                            raw.head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")
                                    ? dechunk(body)
                                    : body,
                            StandardCharsets.UTF_8));
            return raw;
        }
    }

    /** The body of a chunked answer (RFC 9112 section 7.1), without trailers. */
    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOf(
                    java.util.Arrays.copyOfRange(chunked, at, chunked.length),
                    "\r\n".getBytes(StandardCharsets.US_ASCII));
            String size = new String(chunked, at, lineEnd, StandardCharsets.US_ASCII).split(";", 2)[0].strip();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(chunked, at + lineEnd + 2, n);
            at += lineEnd + 2 + n + 2;
        }
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

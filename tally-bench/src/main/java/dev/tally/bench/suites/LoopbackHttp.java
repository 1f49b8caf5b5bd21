package dev.tally.bench.suites;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The load generator's HTTP/1.1 client: one keep-alive connection per client, blocking socket I/O on the
 * client's (virtual) thread, a POST with a Content-Length body, an answer read by its Content-Length or its
 * chunks. Nothing else of HTTP (no redirects, no TLS, no pipelining, no HTTP/2).
 *
 * <p>Why not {@code java.net.http.HttpClient}: it is built for many protocols and asynchrony (a selector
 * thread, executors, flows of byte buffers per request) and, profiled in {@code tally bench http}, it took
 * about a quarter of the process's CPU samples during the single-transfer phase on a 2-core machine, CPU the
 * server under test then lacked. This client does the same exchange (same requests, same keep-alive
 * connections, one request in flight per client) with a fraction of the work. Not thread-safe: one per client.
 */
final class LoopbackHttp implements AutoCloseable {
    /** One answer: its status and body. */
    record Answer(int status, String body) {}

    private final String host;
    private final int port;
    private final String authorization;
    /** The open connection, null while there is none; {@link #in} and {@link #out} are its streams. */
    private @Nullable Socket socket;

    private InputStream in = InputStream.nullInputStream();
    private OutputStream out = OutputStream.nullOutputStream();

    LoopbackHttp(String host, int port, String key) {
        this.host = host;
        this.port = port;
        this.authorization = "Bearer " + key;
    }

    /** POSTs a JSON body and reads the whole answer; reconnects once when a kept-alive connection was closed. */
    Answer post(String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: "
                        + authorization + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        boolean fresh = socket == null;
        if (fresh) {
            connect();
        }
        try {
            return exchange(head, body);
        } catch (IOException e) {
            close();
            if (fresh) {
                throw e;
            }
            // The server may close an idle keep-alive connection; a new one gets the request once more.
            connect();
            return exchange(head, body);
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    private Answer exchange(byte[] head, byte[] body) throws IOException {
        if (head.length + body.length <= 16 * 1024) {
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            out.write(all);
        } else {
            out.write(head);
            out.write(body);
        }
        out.flush();
        String status = line();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> {}
            }
        }
        String text;
        if (chunked) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (int size = chunkSize(); size > 0; size = chunkSize()) {
                buf.write(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
            text = buf.toString(StandardCharsets.UTF_8);
        } else if (length >= 0) {
            byte[] b = in.readNBytes((int) length);
            if (b.length < length) {
                throw new EOFException("the answer ended early");
            }
            text = new String(b, StandardCharsets.UTF_8);
        } else {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            close = true;
        }
        if (close) {
            close();
        }
        return new Answer(code, text);
    }

    private int chunkSize() throws IOException {
        String l = line();
        int semi = l.indexOf(';');
        return Integer.parseInt((semi < 0 ? l : l.substring(0, semi)).trim(), 16);
    }

    /** One header line without its CRLF. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the connection closed mid-answer");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}

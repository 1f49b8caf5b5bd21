package dev.tally.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A JDK HttpClient bound to one server, sending JSON with an optional bearer key. Thread-safe. */
final class Client {
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String base;

    Client(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    Response get(String path, String key) {
        return send("GET", path, key, null, Map.of());
    }

    Response post(String path, String key, String json) {
        return send("POST", path, key, json, Map.of());
    }

    Response delete(String path, String key) {
        return send("DELETE", path, key, null, Map.of());
    }

    /** Any request; a null key sends no Authorization, a null body none. */
    Response send(String method, String path, String key, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !headers.containsKey("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return checked(method, path, r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The answer, once it has been checked against the OpenAPI document (see {@link OpenApiContract}). */
    private static Response checked(String method, String path, HttpResponse<String> r) {
        OpenApiContract.check(method, path, r.statusCode(), r.headers().firstValue("Content-Type"), r.body());
        return new Response(r.statusCode(), r.headers(), r.body());
    }

    /** Sends raw bytes (for malformed bodies). */
    Response sendBytes(String method, String path, String key, byte[] body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return checked(method, path, r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.tally.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-test webhook endpoint on loopback (the JDK's HttpServer): it keeps every body posted to each
 * path, and can be told to fail the first N deliveries of a path to exercise retries.
 */
final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, BlockingQueue<String>> bodies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failFirst = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            attempts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            AtomicInteger fails = failFirst.get(path);
            int status = fails != null && fails.getAndDecrement() > 0 ? 503 : 204;
            if (status == 204) {
                queue(path).add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Makes the first {@code n} deliveries to {@code path} fail with 503. */
    void failFirst(String path, int n) {
        failFirst.put(path, new AtomicInteger(n));
    }

    int attempts(String path) {
        return attempts.getOrDefault(path, new AtomicInteger()).get();
    }

    /** The next body delivered to {@code path}, waiting up to {@code timeout}; null when none came. */
    String await(String path, Duration timeout) {
        try {
            return queue(path).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** How many bodies are waiting for {@code path}. */
    int pending(String path) {
        return queue(path).size();
    }

    private BlockingQueue<String> queue(String path) {
        return bodies.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

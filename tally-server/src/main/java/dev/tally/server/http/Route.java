package dev.tally.server.http;

import java.util.Objects;

/**
 * One route of the API: method, path template (Javalin's {@code {id}} syntax, as in the OpenAPI
 * document), who may call it, and its handler. The route table is data, so the auth matrix and the OpenAPI
 * document can be checked against it.
 */
public record Route(String method, String path, Access access, String summary, Handler handler) {
    /** Handles one authorised request. */
    @FunctionalInterface
    public interface Handler {
        void handle(Call call) throws Exception;
    }

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(handler, "handler");
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}

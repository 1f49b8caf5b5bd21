package dev.tally.server.http;

import dev.tally.json.Views;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (malformed HTTP, a connection cut while its body was read, a request caught by
 * the stop) as problem+json too, instead of Jetty's HTML page, which names exception classes. While the
 * server drains, a server-side failure of this kind is what the stop did to the request: 503
 * {@code SHUTTING_DOWN}, so the client knows to retry.
 */
final class JettyErrors {
    private JettyErrors() {}

    /** For the Jetty server (errors outside any context, such as malformed requests). */
    static org.eclipse.jetty.server.handler.ErrorHandler server(Inflight inflight) {
        return new org.eclipse.jetty.server.handler.ErrorHandler() {
            @Override
            protected boolean generateAcceptableResponse(
                    Request request,
                    Response response,
                    Callback callback,
                    String contentType,
                    List<Charset> charsets,
                    int code,
                    String message,
                    Throwable cause) {
                return writeProblem(request, response, callback, code, inflight);
            }

            @Override
            @SuppressWarnings("removal") // still the hook that keeps an unparseable request's answer problem+json
            public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
                fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
                return ByteBuffer.wrap(body(problem(status, inflight), "/"));
            }
        };
    }

    /** For Javalin's servlet context. */
    static org.eclipse.jetty.ee10.servlet.ErrorHandler servlet(Inflight inflight) {
        return new org.eclipse.jetty.ee10.servlet.ErrorHandler() {
            @Override
            protected boolean generateAcceptableResponse(
                    Request request,
                    Response response,
                    Callback callback,
                    String contentType,
                    List<Charset> charsets,
                    int code,
                    String message,
                    Throwable cause) {
                return writeProblem(request, response, callback, code, inflight);
            }
        };
    }

    private static boolean writeProblem(
            Request request, Response response, Callback callback, int code, Inflight inflight) {
        Problem p = problem(code, inflight);
        response.setStatus(p.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body(p, request.getHttpURI().getPath())), callback);
        return true;
    }

    /** A problem for a bare status; never the exception or Jetty's message, which may name internals. */
    static Problem problem(int status, Inflight inflight) {
        if (status >= 500 && inflight.draining()) {
            return Problem.of(ApiCode.SHUTTING_DOWN, "the server is shutting down; retry with the same transaction_id");
        }
        return switch (status) {
            case 404 -> Problem.of(ApiCode.NOT_FOUND, "no such resource; see /openapi.json");
            case 405 -> Problem.of(ApiCode.METHOD_NOT_ALLOWED, "method not allowed; see /openapi.json");
            case 413 -> Problem.of(ApiCode.PAYLOAD_TOO_LARGE, "the request is too large");
            case 503 -> Problem.of(ApiCode.SHUTTING_DOWN, "the server cannot take requests now; retry later");
            default ->
                status >= 400 && status < 500
                        ? new Problem(
                                ApiCode.BAD_REQUEST.name(),
                                status,
                                ApiCode.BAD_REQUEST.title(),
                                "the HTTP request is malformed",
                                Optional.empty(),
                                Map.of())
                        : Problem.of(ApiCode.INTERNAL_ERROR, "the request failed on the server");
        };
    }

    private static byte[] body(Problem p, String path) {
        return Views.compact(p.toJson(path == null ? "/" : path)).getBytes(StandardCharsets.UTF_8);
    }
}

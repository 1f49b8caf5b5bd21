package dev.tally.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.text.SafeText;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.server.auth.ApiKey;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * One authorised request as a handler sees it: the caller's key, its entry context (actor, client IP,
 * User-Agent), bounded access to the body, path and query, and the answer. Not thread-safe; one per request.
 */
public final class Call {
    /**
     * The Content-Type of every JSON answer. JSON is UTF-8 by definition (RFC 8259), and the body is written
     * as UTF-8 bytes; the parameter says so to every client, including those that default to ISO-8859-1.
     */
    public static final String JSON = "application/json;charset=utf-8";

    private final Context ctx;
    private final ServerContext server;
    private final Optional<ApiKey> key;

    Call(Context ctx, ServerContext server, Optional<ApiKey> key) {
        this.ctx = ctx;
        this.server = server;
        this.key = key;
    }

    public ServerContext server() {
        return server;
    }

    public Ledger ledger() {
        return server.ledger();
    }

    /** The caller's key; routes that are not public always have one. */
    public ApiKey key() {
        return key.orElseThrow(() -> new IllegalStateException("a public route has no caller key"));
    }

    /** Who acts: the key's name, as recorded in entries and in the admin log. */
    public String actor() {
        return key().name();
    }

    /** The client's address: the peer, or the forwarded client when the peer is a trusted proxy. */
    public String clientIp() {
        return clientIp(ctx, server);
    }

    static String clientIp(Context ctx, ServerContext server) {
        String ip = server.proxies()
                .clientAddress(ctx.req().getRemoteAddr(), Optional.ofNullable(ctx.header("X-Forwarded-For")));
        return ip.length() <= EntryContext.MAX_IP ? ip : ip.substring(0, EntryContext.MAX_IP);
    }

    /**
     * Actor, client IP and User-Agent (cut to what an entry keeps), as the seed's ledger records them. The
     * headers are informational, not the client's data: a control character in them (HTTP lets obs-text
     * through, which decodes to C1 controls) is kept visible as an escape rather than refused.
     */
    public EntryContext entryContext() {
        Optional<String> ua =
                header("User-Agent").map(s -> cut(SafeText.escape(s.replace('\n', ' ')), EntryContext.MAX_USER_AGENT));
        String ip = cut(SafeText.escape(clientIp().replace('\n', ' ')), EntryContext.MAX_IP);
        return new EntryContext(Optional.of(actor()), Optional.of(ip), ua);
    }

    /** At most {@code max} characters, never half a surrogate pair. */
    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        return s.substring(0, Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max);
    }

    /** The body as one JSON object; required. */
    public JsonBody body() {
        return JsonBody.parse(bodyBytes());
    }

    /** The body as one JSON object, or an empty object when there is none. */
    public JsonBody optionalBody() {
        byte[] bytes = bodyBytes();
        return bytes.length == 0 ? JsonBody.empty() : JsonBody.parse(bytes);
    }

    private byte[] bodyBytes() {
        String type = ctx.header("Content-Type");
        if (type != null && !type.isBlank() && !isJson(type)) {
            throw ApiException.of(
                    ApiCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json, not " + clip(type));
        }
        long max = server.config().limits().maxBodyBytes();
        // Read at most max + 1 bytes: a chunked body without Content-Length is cut off, never buffered whole.
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared >= 0 && declared <= max) {
                // A declared length (the server has refused one above the limit already): read it into one
                // array of the right size rather than growing buffers up to the limit.
                byte[] bytes = new byte[(int) declared];
                int n = in.readNBytes(bytes, 0, bytes.length);
                return n == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, n);
            }
            byte[] bytes = in.readNBytes((int) max + 1);
            if (bytes.length > max) {
                drain(in, 4 * max);
                throw ApiException.of(ApiCode.PAYLOAD_TOO_LARGE, "the body is larger than " + max + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw ApiException.of(ApiCode.MALFORMED_JSON, "the body could not be read");
        }
    }

    static boolean isJson(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
        return t.equals("application/json") || (t.startsWith("application/") && t.endsWith("+json"));
    }

    public String path(String name) {
        return ctx.pathParam(name);
    }

    /** The names of the query parameters that start with {@code prefix}, in ascending order. */
    public java.util.NavigableSet<String> queryNames(String prefix) {
        java.util.NavigableSet<String> names = new java.util.TreeSet<>();
        ctx.queryParamMap().keySet().stream().filter(n -> n.startsWith(prefix)).forEach(names::add);
        return names;
    }

    /** A query parameter; blank counts as absent. */
    public Optional<String> query(String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(s -> !s.isBlank());
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(ctx.header(name)).filter(s -> !s.isBlank());
    }

    /** The page size: {@code limit}, else the configured default; 1 to the configured maximum. */
    public int limit() {
        int max = server.config().limits().maxPageSize();
        Optional<String> text = query("limit");
        if (text.isEmpty()) {
            return server.config().limits().defaultPageSize();
        }
        try {
            int n = Integer.parseInt(text.get());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid("limit", "limit must be a whole number from 1 to " + max);
    }

    /** Sets a response header. */
    public Call responseHeader(String name, String value) {
        ctx.header(name, value);
        return this;
    }

    /**
     * Reads and drops the body of a request refused for its size, up to {@code limit} bytes (see
     * {@link #drain}); a body that cannot be read is left alone.
     */
    static void discardBody(Context ctx, long limit) {
        try (InputStream in = ctx.req().getInputStream()) {
            drain(in, limit);
        } catch (IOException | RuntimeException e) {
            // The answer is a 413 either way; the connection may just close.
        }
    }

    /**
     * Reads and drops up to {@code limit} more bytes of a body that is over the limit, so that a client still
     * sending a moderately oversized body reads the 413 instead of a connection reset under its feet (an
     * answer sent while the body is unread makes the server close the connection with data still arriving).
     * A larger one is cut off and the connection closed.
     */
    private static void drain(InputStream in, long limit) throws IOException {
        long left = limit;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    return;
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** Answers with a JSON document. */
    public void json(int status, JsonNode body) {
        ctx.status(status).contentType(JSON).result(Views.compactBytes(body));
    }

    /** Answers with a JSON document written straight to a generator (large answers). */
    public void jsonWritten(int status, Views.Writer body) {
        ctx.status(status).contentType(JSON).result(Views.compactBytes(body));
    }

    /** Answers with text of a media type (metrics). */
    public void text(int status, String contentType, String body) {
        ctx.status(status).contentType(contentType).result(body);
    }

    /** Answers with bytes of a media type (tiles). */
    public void bytes(int status, String contentType, byte[] body) {
        ctx.status(status).contentType(contentType).result(body);
    }

    /** Records an admin action under the caller's key name. */
    public void recordAdminAction(String action, Optional<String> target, Optional<String> detail) {
        server.adminLog().record(server.clock().instant(), actor(), action, target, detail);
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}

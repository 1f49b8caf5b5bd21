package dev.tally.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Javalin's and Jetty's own failures speak problem+json too: no route (404), wrong method (405), a
 * body over Javalin's limit (413), malformed HTTP ({@link JettyErrors}), and anything that escaped a
 * handler (500, logged, never shown).
 */
public final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private Failures() {}

    public static void install(JavalinConfig cfg, ServerContext context) {
        Dispatcher dispatcher = new Dispatcher(context);
        cfg.jetty.modifyServer(server -> server.setErrorHandler(JettyErrors.server(context.inflight())));
        cfg.jetty.modifyServletContextHandler(
                handler -> handler.setErrorHandler(JettyErrors.servlet(context.inflight())));
        cfg.routes.exception(
                HttpResponseException.class, (e, ctx) -> Dispatcher.problem(ctx, forStatus(e.getStatus(), ctx)));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("unhandled failure on {} {}", ctx.method(), ctx.path(), e);
            Dispatcher.problem(ctx, dispatcher.toProblem(e, ctx));
        });
        for (int status : new int[] {404, 405, 413, 500}) {
            cfg.routes.error(status, ctx -> {
                if (ctx.attribute(Dispatcher.PROBLEM_WRITTEN) == null) {
                    Dispatcher.problem(ctx, forStatus(ctx.statusCode(), ctx));
                }
            });
        }
    }

    private static Problem forStatus(int status, Context ctx) {
        return switch (status) {
            case 404 ->
                Problem.of(
                        ApiCode.NOT_FOUND, "no route " + ctx.method() + " " + clip(ctx.path()) + "; see /openapi.json");
            case 405 ->
                Problem.of(
                        ApiCode.METHOD_NOT_ALLOWED,
                        ctx.method() + " is not allowed on " + clip(ctx.path()) + "; see /openapi.json");
            case 413 -> Problem.of(ApiCode.PAYLOAD_TOO_LARGE, "the body is too large");
            default -> Problem.of(ApiCode.INTERNAL_ERROR, "the request failed on the server");
        };
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}

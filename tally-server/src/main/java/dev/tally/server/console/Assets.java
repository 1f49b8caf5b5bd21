package dev.tally.server.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The console's own stylesheet and script, served from the jar: nothing is fetched from anywhere else. */
final class Assets {
    private static final Map<String, String> TYPES =
            Map.of("console.js", "text/javascript;charset=utf-8", "console.css", "text/css;charset=utf-8");

    private Assets() {}

    static void serve(ConsoleCall call) {
        String file = call.path("file");
        String type = TYPES.get(file);
        if (type == null) {
            Console.refuse(call.ctx(), 404, "No such asset.");
            return;
        }
        call.ctx().status(200).contentType(type).result(read(file));
    }

    private static byte[] read(String file) {
        try (InputStream in = Assets.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.tally.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a file named on the command line before a library opens it, so that a mistake (a typo, a
 * directory, a missing directory) is one line that names the file and says what is wrong with it (exit 2)
 * rather than an I/O exception from deep inside.
 */
public final class FileChecks {
    private FileChecks() {}

    /** {@code file} must be an existing regular file this process can read; {@code what} names its role. */
    public static Path readable(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw CliException.usage("cannot read " + what + " " + file + ": it is a directory");
        }
        if (!Files.exists(file)) {
            throw CliException.usage("cannot read " + what + " " + file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw CliException.usage("cannot read " + what + " " + file + ": permission denied");
        }
        return file;
    }

    /** {@code file} may be created or replaced: not a directory, in a directory that exists. */
    public static Path writable(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw CliException.usage("cannot write " + what + " " + file + ": it is a directory");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw CliException.usage("cannot write " + what + " " + file + ": no such directory "
                    + (file.getParent() != null ? file.getParent() : parent));
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw CliException.usage("cannot write " + what + " " + file + ": permission denied");
        }
        return file;
    }
}

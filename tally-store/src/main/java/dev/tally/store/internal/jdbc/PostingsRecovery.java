package dev.tally.store.internal.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a ledger's history side file ({@link PostingsFile}) in a state that describes the ledger: a file that is
 * missing, unreadable, marked damaged by an earlier read, or that covers entries the ledger does not hold with
 * the hashes it recorded (a ledger restored from an older copy) is rebuilt from the ledger's entries; then every
 * entry not yet indexed is indexed, so that the first reads scan no long tail. The side file is derived data:
 * deleting it never loses anything.
 */
final class PostingsRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(PostingsRecovery.class);

    private PostingsRecovery() {}

    /** The side file of {@code ledgerFile}, describing its ledger and caught up with it. */
    static PostingsFile open(Path ledgerFile, DataSource ledger, int poolSize) {
        Path path = PostingsFile.pathFor(ledgerFile);
        if (Files.exists(PostingsFile.damageMarker(path))) {
            LOG.warn("the history index {} was found damaged while in use; rebuilding it from the ledger", path);
            PostingsFile.deleteFiles(path);
        }
        try {
            return openCaughtUp(path, ledger, poolSize);
        } catch (RuntimeException e) {
            // Unreadable (not a database, or damaged): it holds nothing the ledger does not, so start over.
            LOG.warn(
                    "the history index {} could not be opened ({}); rebuilding it from the ledger",
                    path,
                    e.getMessage());
            PostingsFile.deleteFiles(path);
            return openCaughtUp(path, ledger, poolSize);
        }
    }

    private static PostingsFile openCaughtUp(Path path, DataSource ledger, int poolSize) {
        PostingsFile file = PostingsFile.openAs(path, ledger, poolSize);
        try {
            if (!file.describesLedger()) {
                LOG.warn("the history index {} does not match the ledger's entries; rebuilding it", path);
                file.reset();
            }
            file.indexAll(PostingsIndexer.MAX_BATCH);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
        return file;
    }
}

package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.EmbeddedPostgres;
import dev.tally.store.testing.StoreSql;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a store with {@link OpenMode#EXISTING} finds a ledger or refuses, and creates nothing on the way:
 * no file, no directory, no table. Locations no store understands are refused in every mode.
 */
class OpenModeTest {
    private static final StoreOptions EXISTING = StoreOptions.DEFAULTS.withOpenMode(OpenMode.EXISTING);

    @TempDir
    Path dir;

    @Test
    void theDefaultModeCreatesTheLedgerAsBefore() {
        assertThat(StoreOptions.DEFAULTS.openMode()).isEqualTo(OpenMode.CREATE);
        Path file = dir.resolve("new/ledger.db");
        Stores.open(file.toString()).close();
        assertThat(file).isRegularFile();
    }

    @Test
    void aMissingFileIsRefusedWithoutCreatingItOrItsDirectory() {
        Path file = dir.resolve("typo/dir/x.db");
        assertThatThrownBy(() -> Stores.open(file.toString(), EXISTING))
                .isInstanceOfSatisfying(NoLedgerException.class, e -> {
                    assertThat(e.location()).isEqualTo(file.toString());
                    assertThat(e.reason()).isEqualTo("no such file or directory");
                    assertThat(e.creatable()).isTrue();
                });
        assertThat(dir.resolve("typo")).doesNotExist();
    }

    @Test
    void anEmptyFileIsRefusedAndStaysEmpty() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.db"));
        assertThatThrownBy(() -> Stores.open(file.toString(), EXISTING))
                .isInstanceOfSatisfying(
                        NoLedgerException.class, e -> assertThat(e.reason()).isEqualTo("the file is empty (0 bytes)"));
        assertThat(Files.size(file)).isZero();
        assertThat(dir.resolve("empty.db-wal")).doesNotExist();
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedInEveryModeAndKeptAsItWas() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.db"), "my notes\n");
        for (StoreOptions options : new StoreOptions[] {EXISTING, StoreOptions.DEFAULTS}) {
            assertThatThrownBy(() -> Stores.open(file.toString(), options))
                    .isInstanceOfSatisfying(NoLedgerException.class, e -> {
                        assertThat(e.reason()).isEqualTo("not a SQLite database");
                        assertThat(e.creatable()).isFalse();
                    });
        }
        assertThat(Files.readString(file)).isEqualTo("my notes\n");
    }

    @Test
    void aDirectoryIsRefused() {
        assertThatThrownBy(() -> Stores.open(dir.toString(), EXISTING))
                .isInstanceOfSatisfying(
                        NoLedgerException.class, e -> assertThat(e.reason()).isEqualTo("it is a directory"));
    }

    @Test
    void anotherProgramsSqliteDatabaseIsRefusedAndGetsNoTallyTables() throws Exception {
        Path file = dir.resolve("other.db");
        StoreSql.executeAt("jdbc:sqlite:" + file, "CREATE TABLE notes (x TEXT)");
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> Stores.open(file.toString(), EXISTING))
                .isInstanceOfSatisfying(NoLedgerException.class, e -> {
                    assertThat(e.reason()).isEqualTo("a SQLite database without Tally's tables");
                    assertThat(e.creatable()).isFalse();
                });
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void anExistingSqliteLedgerOpens() {
        Path file = dir.resolve("ledger.db");
        Stores.open(file.toString()).close();
        try (LedgerStore store = Stores.open(file.toString(), EXISTING)) {
            assertThat(store.loadHead().seq()).isZero();
        }
    }

    @Test
    void anUnknownUrlSchemeIsRefusedInEveryModeAndCreatesNoFile() {
        Path cwd = Path.of("").toAbsolutePath();
        for (String url : new String[] {"mysql://x/y", "jdbc:mysql://x/y", "file:///tmp/x.db", "sqlite://x.db"}) {
            for (StoreOptions options : new StoreOptions[] {EXISTING, StoreOptions.DEFAULTS}) {
                assertThatThrownBy(() -> Stores.open(url, options))
                        .as(url)
                        .isInstanceOfSatisfying(NoLedgerException.class, e -> {
                            assertThat(e.reason()).startsWith("unknown URL scheme");
                            assertThat(e.creatable()).isFalse();
                        });
            }
        }
        assertThat(cwd.resolve("mysql:")).doesNotExist();
        assertThat(cwd.resolve("jdbc:mysql:")).doesNotExist();
    }

    @Test
    void aWindowsDrivePathIsNotTakenForAUrl() {
        // One letter before the colon is a drive; here it is a relative file name, which CREATE may create.
        Path file = dir.resolve("C:").resolve("ledger.db");
        Stores.open(file.toString()).close();
        assertThat(file).isRegularFile();
    }

    @Test
    void aPostgresSchemaWithoutTallyTablesIsRefusedAndNotMigrated() throws Exception {
        String url = EmbeddedPostgres.freshDatabase();
        assertThatThrownBy(() -> Stores.open(url, EXISTING)).isInstanceOfSatisfying(NoLedgerException.class, e -> {
            assertThat(e.reason()).isEqualTo("the schema has no Tally tables");
            assertThat(e.creatable()).isTrue();
        });
        assertThat(tableCount(url)).isZero();
    }

    @Test
    void anExistingPostgresLedgerOpens() {
        String url = TestStores.freshLocation(dev.tally.store.testing.StoreKind.POSTGRES);
        Stores.open(url).close();
        try (LedgerStore store = Stores.open(url, EXISTING)) {
            assertThat(store.loadHead().seq()).isZero();
        }
    }

    private static int tableCount(String url) {
        return (int) StoreSql.queryLongAt(
                url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()");
    }
}

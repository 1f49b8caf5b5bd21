package dev.tally.store.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The store's boundary as rules a module's tests check over the Tally classes on their class path: only
 * the store module ({@code dev.tally.store..}) reaches its JDBC implementation or JDBC itself; everyone
 * else goes through the store's interfaces.
 */
public final class StoreBoundary {
    /** Where the store keeps its implementation; nothing outside the store may import it. */
    public static final String INTERNAL = "dev.tally.store.internal..";
    /**
     * The benchmarks: they measure the writer and the store under a ledger, so they may reach them through
     * {@code LedgerInternals}; they leave the production jar.
     */
    private static final String BENCHMARKS = "dev.tally.bench..";

    private StoreBoundary() {}

    /** Every Tally class on the class path, tests included. */
    public static JavaClasses tallyClasses() {
        return new ClassFileImporter().importPackages("dev.tally");
    }

    /** No class outside the store imports the store's internal packages. */
    public static ArchRule internalPackagesStayInside() {
        return noClasses()
                .that()
                .resideOutsideOfPackage("dev.tally.store..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(INTERNAL)
                .because(
                        "the store's contract is dev.tally.core.store and dev.tally.store.Stores; its JDBC implementation is internal");
    }

    /**
     * No production class outside the ledger module reaches the store under a ledger: applications use the
     * ledger's views, or open the store themselves ({@code Ledger.open(store, config)}). The benchmarks may:
     * measuring the writer and the store under a ledger is their job.
     */
    public static ArchRule ledgerInternalsStayInside() {
        return noClasses()
                .that()
                .resideOutsideOfPackage("dev.tally.ledger..")
                .and()
                .resideOutsideOfPackage(BENCHMARKS)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.tally.ledger.internal..")
                .because("the store under a ledger is for benchmarks and tests, not for production code");
    }

    /** Every Tally production class on the class path: no test classes, from a directory or a test-jar. */
    public static JavaClasses tallyProductionClasses() {
        return new ClassFileImporter()
                .withImportOption(location -> !location.contains("/test-classes/") && !location.contains("-tests.jar"))
                .importPackages("dev.tally");
    }

    /** No class outside the store uses JDBC. */
    public static ArchRule noSqlOutsideTheStore() {
        return noClasses()
                .that()
                .resideOutsideOfPackage("dev.tally.store..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "javax.sql..")
                .because("only the store runs SQL; everyone else goes through its interfaces");
    }
}

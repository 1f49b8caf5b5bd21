package dev.tally.bench;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tally.store.testing.StoreBoundary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nothing in this module, its tests, or what it depends on reaches below the store's interfaces. */
class StoreBoundaryTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = StoreBoundary.tallyClasses();
    }

    @Test
    void noClassOutsideTheStoreImportsItsInternalPackages() {
        StoreBoundary.internalPackagesStayInside().check(classes);
    }

    @Test
    void noProductionClassOutsideTheLedgerReachesTheStoreUnderALedger() {
        StoreBoundary.ledgerInternalsStayInside().check(StoreBoundary.tallyProductionClasses());
    }

    @Test
    void noClassOutsideTheStoreUsesJdbc() {
        StoreBoundary.noSqlOutsideTheStore().check(classes);
    }
}

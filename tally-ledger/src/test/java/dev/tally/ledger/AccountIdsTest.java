package dev.tally.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.testing.StoreKind;
import org.junit.jupiter.api.Test;

class AccountIdsTest {
    @Test
    void anAccountTheLedgerOpensHasATimeOrderedId() {
        try (Ledger ledger = TestStores.freshLedger(StoreKind.SQLITE)) {
            Account account = ledger.createAccount("ada", "ada@example.com", Role.USER);

            assertThat(account.id().version()).isEqualTo(7);
        }
    }

    @Test
    void anAccountOpenedLaterHasAnIdThatSortsLater() throws InterruptedException {
        try (Ledger ledger = TestStores.freshLedger(StoreKind.SQLITE)) {
            Account first = ledger.createAccount("ada", "ada@example.com", Role.USER);
            Thread.sleep(2); // ids made in the same millisecond are not ordered among themselves
            Account second = ledger.createAccount("bob", "bob@example.com", Role.USER);

            assertThat(first.id().toString()).isLessThan(second.id().toString());
        }
    }
}

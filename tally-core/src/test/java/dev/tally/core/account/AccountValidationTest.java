package dev.tally.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryContext;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** New identifiers are validated where commands are built, so the API and the CLI refuse the same things. */
class AccountValidationTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "a\u001b[31m@example.com",
                "nul\u0000@example.com",
                "del\u007f@example.com",
                "\u202egpj.exe@example.com",
                "csi\u009b@example.com",
                "zw\u200b@example.com"
            })
    void aNewEmailWithAControlOrFormattingCharacterIsRefusedNamingTheField(String email) {
        assertThatThrownBy(() -> new Command.OpenAccount(UUID.randomUUID(), "eve", email, Role.USER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("email must not contain");
        assertThatThrownBy(() -> new Command.UpdateEmail(UUID.randomUUID(), email, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("email must not contain");
    }

    @Test
    void anAccountStoredWithSuchAnEmailStillLoadsSoItCanBeShownEscaped() {
        Account old = new Account(
                UUID.randomUUID(),
                "eve",
                "a\u001b[31m@example.com",
                Role.USER,
                false,
                Optional.empty(),
                Optional.empty(),
                Instant.EPOCH,
                Instant.EPOCH,
                1);
        assertThat(old.email()).contains("\u001b");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"6a283494-0000-4000-8000-000000000001", "6A283494-0000-4000-8000-00000000000A", "1-2-3-4-5"})
    void aUsernameThatReadsAsAnAccountIdIsRefused(String username) {
        assertThatThrownBy(() -> Account.requireValidUsername(username))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("username must not be shaped like an account id");
    }

    @Test
    void usernamesAreComparedRegardlessOfCase() {
        assertThat(Account.usernameKey("Alice")).isEqualTo(Account.usernameKey("aLICE"));
    }

    @Test
    void reasonsAndActorsRefuseControlCharactersToo() {
        assertThatThrownBy(() -> new Command.SetAccountFrozen(
                        UUID.randomUUID(), true, Optional.of("x\u001b[2J"), Optional.empty()))
                .hasMessageStartingWith("reason must not contain");
        assertThatThrownBy(() -> new Command.SetLedgerFrozen(true, Optional.of("ok"), "cli:\u202eevil"))
                .hasMessageStartingWith("actor must not contain");
        assertThatThrownBy(() -> new Command.Burn(
                        "b1",
                        UUID.randomUUID(),
                        dev.tally.core.money.Money.ofMinor(dev.tally.core.money.Currency.EUR, 100),
                        EntryContext.actor("bad\u0007")))
                .hasMessageStartingWith("actor must not contain");
    }

    @Test
    void aServiceAuthorityReachesUserAccountsOnlyAndAnAdminsEvery() {
        assertThat(Role.USER.reaches(Role.USER)).isTrue();
        assertThat(Role.USER.reaches(Role.ADMIN)).isFalse();
        assertThat(Role.USER.reaches(Role.SYSTEM)).isFalse();
        assertThat(Role.SYSTEM.reaches(Role.ADMIN)).isTrue();
        assertThat(Role.SYSTEM.reaches(Role.SYSTEM)).isTrue();
        assertThat(Role.ADMIN.reaches(Role.SYSTEM)).isFalse();
    }
}

package dev.tally.server;

import static dev.tally.server.AccountsApiTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.testing.StoreKind;
import org.junit.jupiter.api.Test;

/**
 * A transfer names its accounts by id or username, and the server remembers the references it resolved:
 * what a reference names never changes, but everything else about the account is decided anew every time.
 */
class AccountReferenceTest {

    @Test
    void aUsernameThatNamedNoAccountIsAcceptedOnceTheAccountIsOpened() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            String alice = s.account("alice");
            s.mint(alice, "100.00");
            Response unknown = s.http.post("/v1/transfers", s.service, transfer("t-1", "alice", "carol", "1.00"));
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.code()).isEqualTo("UNKNOWN_ACCOUNT");

            s.account("carol");

            Response r = s.http.post("/v1/transfers", s.service, transfer("t-2", "alice", "carol", "1.00"));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
    }

    @Test
    void anAccountFrozenAfterATransferIsRefusedOnTheNextOne() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            String alice = s.account("alice");
            s.account("bob");
            s.mint(alice, "100.00");
            assertThat(s.http.post("/v1/transfers", s.service, transfer("t-1", "alice", "bob", "1.00"))
                            .status())
                    .isEqualTo(201);
            assertThat(s.http.post("/v1/transfers", s.service, transfer("t-2", alice, "bob", "1.00"))
                            .status())
                    .isEqualTo(201);

            Response frozen = s.http.post("/v1/accounts/" + alice + "/freeze", s.admin, "{\"reason\":\"fraud\"}");
            assertThat(frozen.status()).as(frozen.toString()).isEqualTo(200);

            for (String sender : new String[] {"alice", alice}) {
                Response r = s.http.post("/v1/transfers", s.service, transfer("t-3-" + sender, sender, "bob", "1.00"));
                assertThat(r.status()).as(r.toString()).isEqualTo(423);
                assertThat(r.code()).isEqualTo("ACCOUNT_FROZEN");
            }
        }
    }

    @Test
    void anIdAndAUsernameOfTheSameAccountNameTheSameAccount() {
        try (Running s = Running.start(StoreKind.SQLITE)) {
            String alice = s.account("alice");
            String bob = s.account("bob");
            s.mint(alice, "100.00");
            assertThat(s.http.post("/v1/transfers", s.service, transfer("t-1", "alice", bob, "1.00"))
                            .status())
                    .isEqualTo(201);

            Response same = s.http.post("/v1/transfers", s.service, transfer("t-2", alice, "alice", "1.00"));

            assertThat(same.status()).as(same.toString()).isEqualTo(422);
            assertThat(same.code()).isEqualTo("SAME_ACCOUNT");
        }
    }
}

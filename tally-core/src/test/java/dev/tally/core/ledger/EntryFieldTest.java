package dev.tally.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The entry's fields, named once: the order and names every representation derives from. */
class EntryFieldTest {
    @Test
    void theFieldsAreTheColumnsOfLedgerEntriesInCanonicalOrder() {
        assertThat(EntryField.columnList())
                .isEqualTo("seq, transaction_id, type, status, sender_id, receiver_id, currency, "
                        + "amount_gross, tax_withheld, amount_net, tax_kind, created_at, actor, ip_address, user_agent, "
                        + "reverses_transaction_id, previous_hash, metadata, current_hash");
        assertThat(EntryField.count()).isEqualTo(19);
    }

    @Test
    void theReversedTransactionHasOneNameEverywhere() {
        assertThat(EntryField.REVERSES_TRANSACTION_ID.wire()).isEqualTo("reverses_transaction_id");
        assertThat(EntryField.ofWire("reverses_transaction_id")).contains(EntryField.REVERSES_TRANSACTION_ID);
        assertThat(EntryField.ofWire("reverses")).isEmpty();
    }

    @Test
    void theOptionalFieldsAreThePartiesTheContextTheReversedTransactionAndTheMetadata() {
        assertThat(EntryField.all().stream().filter(EntryField::optional))
                .containsExactly(
                        EntryField.SENDER_ID,
                        EntryField.RECEIVER_ID,
                        EntryField.ACTOR,
                        EntryField.IP_ADDRESS,
                        EntryField.USER_AGENT,
                        EntryField.REVERSES_TRANSACTION_ID,
                        EntryField.METADATA);
    }

    @Test
    void storedValuesAreWhatTheRowHolds() {
        LedgerEntry e = CanonicalEncodingTest.vector3();
        assertThat(EntryField.SEQ.stored(e)).contains(3L);
        assertThat(EntryField.SENDER_ID.stored(e)).contains(CanonicalEncodingTest.BOB);
        assertThat(EntryField.TYPE.stored(e)).contains("REVERSAL");
        assertThat(EntryField.CREATED_AT.stored(e)).contains(CanonicalEncoding.epochMicros(e.createdAt()));
        assertThat(EntryField.ACTOR.stored(e)).isEmpty();
        assertThat(EntryField.REVERSES_TRANSACTION_ID.stored(e)).contains("tx-456");
        assertThat((byte[]) EntryField.CURRENT_HASH.stored(e).orElseThrow())
                .isEqualTo(e.currentHash().bytes());
    }

    @Test
    void textValuesAreWhatTheExportAndTheJsonWrite() {
        LedgerEntry e = CanonicalEncodingTest.vector3();
        assertThat(EntryField.AMOUNT_NET.text(e, 2)).contains("9.90");
        assertThat(EntryField.RECEIVER_ID.text(e, 2)).contains(CanonicalEncodingTest.ALICE.toString());
        assertThat(EntryField.PREVIOUS_HASH.text(e, 2))
                .contains(e.previousHash().hex());
        assertThat(EntryField.IP_ADDRESS.text(e, 2)).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> EntryField.CREATED_AT.text(e, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}

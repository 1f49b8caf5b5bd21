package dev.tally.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pages of accounts and of history: bounded sizes and a cursor that prints and parses back. */
class QueriesTest {

    @Test
    void aPageOfAccountsHoldsOneToAThousand() {
        assertThat(AccountQuery.all(1000).limit()).isEqualTo(1000);
        assertThatThrownBy(() -> AccountQuery.all(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccountQuery.all(1001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPageOfHistoryHoldsOneToAThousand() {
        UUID id = UUID.randomUUID();

        assertThat(new HistoryQuery(id, HistoryQuery.Direction.ALL, Optional.empty(), 1).limit())
                .isEqualTo(1);
        assertThatThrownBy(() -> new HistoryQuery(id, HistoryQuery.Direction.SENT, Optional.empty(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCursorPrintsAndParsesBack() {
        HistoryQuery.Cursor c = new HistoryQuery.Cursor(1_732_500_000_000_000L, 42);

        assertThat(c).hasToString("1732500000000000-42");
        assertThat(HistoryQuery.Cursor.parse(c.toString())).isEqualTo(c);
    }

    @Test
    void aMalformedCursorIsRefused() {
        for (String bad : new String[] {"", "42", "x-1", "1-y", "-1"}) {
            assertThatThrownBy(() -> HistoryQuery.Cursor.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> HistoryQuery.Cursor.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}

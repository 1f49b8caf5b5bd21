package dev.tally.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A stored checkpoint row: a value whose root hash cannot be changed from outside. */
class CheckpointRowTest {
    private static final Instant AT = Instant.parse("2026-02-11T14:23:00Z");

    @Test
    void theRootHashIsCopiedInAndOut() {
        byte[] root = new byte[32];
        CheckpointRow row = new CheckpointRow(4, root, "note", AT);
        root[0] = 1;
        row.rootHash()[1] = 1;
        assertThat(row.rootHash()).isEqualTo(new byte[32]);
    }

    @Test
    void rowsWithTheSameContentAreEqual() {
        CheckpointRow a = new CheckpointRow(4, new byte[32], "note", AT);
        assertThat(a)
                .isEqualTo(new CheckpointRow(4, new byte[32], "note", AT))
                .hasSameHashCodeAs(new CheckpointRow(4, new byte[32], "note", AT));
        byte[] other = new byte[32];
        other[31] = 1;
        assertThat(a)
                .isNotEqualTo(new CheckpointRow(4, other, "note", AT))
                .isNotEqualTo(new CheckpointRow(5, new byte[32], "note", AT))
                .isNotEqualTo(new CheckpointRow(4, new byte[32], "other", AT))
                .isNotEqualTo(new CheckpointRow(4, new byte[32], "note", AT.plusSeconds(1)));
    }

    @Test
    void itsTextNamesTheSizeAndTimeNotTheNote() {
        assertThat(new CheckpointRow(4, new byte[32], "secret note", AT).toString())
                .isEqualTo("CheckpointRow[treeSize=4, createdAt=2026-02-11T14:23:00Z]");
    }
}

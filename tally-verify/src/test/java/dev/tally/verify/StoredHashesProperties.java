package dev.tally.verify;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Properties of the tlog stored-hash layout. */
class StoredHashesProperties {
    @Property(tries = 500)
    void splitStoredHashIndexInvertsStoredHashIndex(
            @ForAll @IntRange(min = 0, max = 30) int level, @ForAll @LongRange(min = 0, max = 1L << 30) long n) {
        long index = StoredHashes.storedHashIndex(level, n);
        assertThat(StoredHashes.splitStoredHashIndex(index)).isEqualTo(new StoredHashes.NodeId(level, n));
    }
}

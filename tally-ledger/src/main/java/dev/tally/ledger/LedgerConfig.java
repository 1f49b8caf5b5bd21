package dev.tally.ledger;

import dev.tally.core.engine.Rules;
import dev.tally.ledger.merkle.CheckpointConfig;
import dev.tally.ledger.sequencer.SequencerOptions;
import dev.tally.store.StoreOptions;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to open a ledger: where, under which rules, with which clock and write-path tuning,
 * and whether it signs checkpoints by itself ({@link CheckpointConfig}).
 */
public record LedgerConfig(
        String location,
        Rules rules,
        Clock clock,
        StoreOptions storeOptions,
        SequencerOptions sequencer,
        Optional<CheckpointConfig> checkpoints) {
    public LedgerConfig {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(storeOptions, "storeOptions");
        Objects.requireNonNull(sequencer, "sequencer");
        Objects.requireNonNull(checkpoints, "checkpoints");
    }

    /** A configuration without automatic checkpoints. */
    public LedgerConfig(
            String location, Rules rules, Clock clock, StoreOptions storeOptions, SequencerOptions sequencer) {
        this(location, rules, clock, storeOptions, sequencer, Optional.empty());
    }

    /** The embedded default file, EUR, default taxes, the system clock, durable commits. */
    public static LedgerConfig defaults() {
        return new LedgerConfig(
                dev.tally.store.Stores.DEFAULT_SQLITE.toString(),
                Rules.defaults(),
                Clock.systemUTC(),
                StoreOptions.DEFAULTS,
                SequencerOptions.DEFAULTS);
    }

    public LedgerConfig withLocation(String newLocation) {
        return new LedgerConfig(
                newLocation == null ? location : newLocation, rules, clock, storeOptions, sequencer, checkpoints);
    }

    public LedgerConfig withRules(Rules newRules) {
        return new LedgerConfig(location, newRules, clock, storeOptions, sequencer, checkpoints);
    }

    public LedgerConfig withClock(Clock newClock) {
        return new LedgerConfig(location, rules, newClock, storeOptions, sequencer, checkpoints);
    }

    public LedgerConfig withSequencer(SequencerOptions newOptions) {
        return new LedgerConfig(location, rules, clock, storeOptions, newOptions, checkpoints);
    }

    public LedgerConfig withStoreOptions(StoreOptions newOptions) {
        return new LedgerConfig(location, rules, clock, newOptions, sequencer, checkpoints);
    }

    /** The same ledger, signing checkpoints as {@code config} says. */
    public LedgerConfig withCheckpoints(CheckpointConfig config) {
        return new LedgerConfig(location, rules, clock, storeOptions, sequencer, Optional.of(config));
    }
}

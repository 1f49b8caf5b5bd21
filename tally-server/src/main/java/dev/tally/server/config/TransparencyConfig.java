package dev.tally.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@code tally serve} publishes the log the C2SP way: the tlog-tiles read API under {@code prefix}, who
 * may read it, how long a receipt waits for a checkpoint that covers its entry, and the witnesses asked to
 * cosign each checkpoint.
 *
 * @param prefix where the tiles are served: starts and ends with {@code /}, default {@code /log/}
 * @param publicTiles whether the checkpoint and the hash tiles answer without a key (they hold only hashes)
 * @param publicEntries whether the entry bundles answer without a key (they hold the transactions)
 * @param receiptWait how long a receipt for an entry no checkpoint covers yet waits for the next automatic
 *     checkpoint before the server signs one
 * @param witnesses the witnesses sent each new checkpoint ({@code tlog-witness} add-checkpoint)
 * @param witnessTimeout how long one witness request may take before it counts as down
 */
public record TransparencyConfig(
        String prefix,
        boolean publicTiles,
        boolean publicEntries,
        Duration receiptWait,
        List<Witness> witnesses,
        Duration witnessTimeout) {
    /** Tiles under {@code /log/}, hashes public, entries for auditors and admins, a receipt waits up to 1 s for the next checkpoint. */
    public static final TransparencyConfig DEFAULTS =
            new TransparencyConfig("/log/", true, false, Duration.ofSeconds(1), List.of(), Duration.ofSeconds(5));

    /**
     * One witness: its name (the key name on its cosignatures), the URL its {@code add-checkpoint} is at
     * the prefix of, and its verifier key ({@code name+keyid+base64(0x04 ‖ public key)}).
     */
    public record Witness(String name, URI url, String verifierKey) {
        public Witness {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(verifierKey, "verifierKey");
            try {
                dev.tally.verify.CosignatureVerifier.fromVerifierKey(verifierKey);
            } catch (dev.tally.verify.ProofException e) {
                throw new ConfigException("transparency.witnesses: witness " + name + ": " + e.getMessage());
            }
        }
    }

    public TransparencyConfig {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(receiptWait, "receiptWait");
        Objects.requireNonNull(witnessTimeout, "witnessTimeout");
        witnesses = List.copyOf(witnesses);
        if (!prefix.startsWith("/")
                || !prefix.endsWith("/")
                || prefix.contains("//")
                || prefix.contains("{")
                || prefix.contains("<")
                || prefix.startsWith("/v1/")) {
            throw new ConfigException("transparency.prefix must be a path such as /log/ (not under /v1/): " + prefix);
        }
        if (receiptWait.isNegative()) {
            throw new ConfigException("transparency.receipt_wait must not be negative");
        }
        if (witnessTimeout.isNegative() || witnessTimeout.isZero()) {
            throw new ConfigException("transparency.witness_timeout must be positive");
        }
    }

    public TransparencyConfig withPrefix(String p) {
        return new TransparencyConfig(p, publicTiles, publicEntries, receiptWait, witnesses, witnessTimeout);
    }

    public TransparencyConfig withPublicTiles(boolean on) {
        return new TransparencyConfig(prefix, on, publicEntries, receiptWait, witnesses, witnessTimeout);
    }

    public TransparencyConfig withPublicEntries(boolean on) {
        return new TransparencyConfig(prefix, publicTiles, on, receiptWait, witnesses, witnessTimeout);
    }

    public TransparencyConfig withReceiptWait(Duration wait) {
        return new TransparencyConfig(prefix, publicTiles, publicEntries, wait, witnesses, witnessTimeout);
    }

    public TransparencyConfig withWitnesses(List<Witness> list) {
        return new TransparencyConfig(prefix, publicTiles, publicEntries, receiptWait, list, witnessTimeout);
    }
}

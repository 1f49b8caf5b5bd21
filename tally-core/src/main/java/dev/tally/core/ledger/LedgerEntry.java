package dev.tally.core.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One immutable line of the journal (the seed's Ledger document), hash-chained to the one before it.
 *
 * <p>Amounts are minor units of {@code currency}; {@code gross = tax + net} always holds for an entry
 * the engine wrote. {@code currentHash} is SHA-256 of {@link CanonicalEncoding#encode(LedgerEntry)},
 * which covers every field here except {@code currentHash} itself (see docs/FORMAT.md).
 *
 * @param seq position in the chain, 1 for the genesis entry, no gaps
 * @param transactionId the client's idempotency key, unique in the ledger
 * @param createdAt commit-time clock, truncated to microseconds
 * @param reverses for a REVERSAL, the transaction id of the entry it undoes
 * @param metadata the client's string pairs; empty for most entries (then the encoding is version 1)
 */
public record LedgerEntry(
        long seq,
        String transactionId,
        EntryType type,
        EntryStatus status,
        Optional<UUID> senderId,
        Optional<UUID> receiverId,
        String currency,
        long amountGross,
        long taxWithheld,
        long amountNet,
        TaxKind taxKind,
        Instant createdAt,
        Optional<String> actor,
        Optional<String> ipAddress,
        Optional<String> userAgent,
        Optional<String> reverses,
        Hash previousHash,
        Metadata metadata,
        Hash currentHash) {

    /** An entry without metadata (all that version 1 of the encoding can hold). */
    public LedgerEntry(
            long seq,
            String transactionId,
            EntryType type,
            EntryStatus status,
            Optional<UUID> senderId,
            Optional<UUID> receiverId,
            String currency,
            long amountGross,
            long taxWithheld,
            long amountNet,
            TaxKind taxKind,
            Instant createdAt,
            Optional<String> actor,
            Optional<String> ipAddress,
            Optional<String> userAgent,
            Optional<String> reverses,
            Hash previousHash,
            Hash currentHash) {
        this(
                seq,
                transactionId,
                type,
                status,
                senderId,
                receiverId,
                currency,
                amountGross,
                taxWithheld,
                amountNet,
                taxKind,
                createdAt,
                actor,
                ipAddress,
                userAgent,
                reverses,
                previousHash,
                Metadata.EMPTY,
                currentHash);
    }

    public LedgerEntry {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(receiverId, "receiverId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(taxKind, "taxKind");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(ipAddress, "ipAddress");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(reverses, "reverses");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(currentHash, "currentHash");
    }

    /** Builds an entry and computes its hash from the canonical encoding. */
    public static LedgerEntry sealed(
            long seq,
            String transactionId,
            EntryType type,
            Optional<UUID> senderId,
            Optional<UUID> receiverId,
            String currency,
            long gross,
            long tax,
            long net,
            TaxKind taxKind,
            Instant createdAt,
            EntryContext context,
            Optional<String> reverses,
            Hash previousHash) {
        LedgerEntry unsealed = new LedgerEntry(
                seq,
                transactionId,
                type,
                EntryStatus.COMPLETED,
                senderId,
                receiverId,
                currency,
                gross,
                tax,
                net,
                taxKind,
                createdAt,
                context.actor(),
                context.ipAddress(),
                context.userAgent(),
                reverses,
                previousHash,
                context.metadata(),
                Hash.ZERO);
        return unsealed.withCurrentHash(EntryHasher.hash(unsealed));
    }

    /** The same entry with another stored hash (used when reading rows and by tamper tests). */
    public LedgerEntry withCurrentHash(Hash hash) {
        return new LedgerEntry(
                seq,
                transactionId,
                type,
                status,
                senderId,
                receiverId,
                currency,
                amountGross,
                taxWithheld,
                amountNet,
                taxKind,
                createdAt,
                actor,
                ipAddress,
                userAgent,
                reverses,
                previousHash,
                metadata,
                hash);
    }

    /** Whether the stored hash equals the hash of the canonical encoding. */
    public boolean hashMatches() {
        return EntryHasher.hash(this).equals(currentHash);
    }
}

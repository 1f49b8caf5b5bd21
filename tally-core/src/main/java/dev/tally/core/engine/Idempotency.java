package dev.tally.core.engine;

import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import java.util.Optional;

/**
 * Decides whether a command with an already-used transaction id is a replay of the same transaction
 * (answer with the original) or a different one (refuse). Content means what the client chose: type,
 * accounts, currency, amount and metadata; context such as the IP address may differ between retries.
 */
final class Idempotency {
    private Idempotency() {}

    static boolean sameContent(Command.Movement command, LedgerEntry e) {
        return e.metadata().clientPart().equals(command.context().metadata()) && sameMovement(command, e);
    }

    private static boolean sameMovement(Command.Movement command, LedgerEntry e) {
        return switch (command) {
            case Command.Payment p ->
                (e.type() == p.type() || heldAs(e, p.type()))
                        && e.senderId().equals(Optional.of(p.senderId()))
                        && e.receiverId().equals(Optional.of(p.receiverId()))
                        && e.currency().equals(p.amount().currency().code())
                        && e.amountGross() == p.amount().minor();
            case Command.Mint m ->
                e.type() == EntryType.MINT
                        && e.receiverId().equals(Optional.of(m.receiverId()))
                        && e.currency().equals(m.amount().currency().code())
                        && e.amountGross() == m.amount().minor();
            case Command.Burn b ->
                e.type() == EntryType.BURN
                        && e.senderId().equals(Optional.of(b.senderId()))
                        && e.currency().equals(b.amount().currency().code())
                        && e.amountGross() == b.amount().minor();
            case Command.Reverse r ->
                e.type() == EntryType.REVERSAL && e.reverses().equals(Optional.of(r.originalTransactionId()));
            case Command.CreatePending c ->
                e.type() == EntryType.PENDING
                        && e.taxKind() == c.type().taxKind()
                        && e.senderId().equals(Optional.of(c.senderId()))
                        && e.receiverId().equals(Optional.of(c.receiverId()))
                        && e.currency().equals(c.amount().currency().code())
                        && e.amountGross() == c.amount().minor();
            case Command.PostPending c ->
                e.type() == EntryType.POST_PENDING
                        && e.reverses().equals(Optional.of(c.pendingTransactionId()))
                        && c.amount()
                                .map(a -> a.currency().code().equals(e.currency())
                                        && a.minor() == e.taxWithheld() + e.amountNet())
                                .orElse(e.taxWithheld() + e.amountNet() == e.amountGross());
            case Command.VoidPending c ->
                e.type() == EntryType.VOID_PENDING && e.reverses().equals(Optional.of(c.pendingTransactionId()));
            case Command.ExchangeLeg x ->
                e.type() == EntryType.EXCHANGE
                        && e.senderId().equals(Optional.of(x.senderId()))
                        && e.receiverId().equals(Optional.of(x.receiverId()))
                        && e.currency().equals(x.amount().currency().code())
                        && e.amountGross() == x.amount().minor()
                        && e.taxWithheld() == x.fee()
                        && x.rate().equals(e.metadata().values().get(dev.tally.core.ledger.Metadata.RATE));
        };
    }

    /** Whether {@code e} is a payment of {@code type} that the fraud shield held as a pending transfer. */
    private static boolean heldAs(LedgerEntry e, EntryType type) {
        return Engine.holdingRule(e).isPresent() && e.taxKind() == type.taxKind();
    }
}

package dev.tally.core.money;

/** An amount that is not a valid positive decimal for its currency. Nothing is written when it is thrown. */
public final class InvalidAmountException extends IllegalArgumentException {
    public InvalidAmountException(String message) {
        super(message);
    }
}

package dev.tally.server.http;

import dev.tally.core.account.Account;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Outcome;
import dev.tally.core.error.TallyException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Waits for the sequencer's outcome of a command and unpacks it; a rejection becomes its problem. */
final class Outcomes {
    private Outcomes() {}

    /** Waits for the commit (handlers run on virtual threads, so blocking here costs no platform thread). */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TallyException("interrupted while waiting for the ledger", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new TallyException("the ledger failed", e.getCause() != null ? e.getCause() : e);
        }
    }

    static Account account(Outcome o) {
        return switch (o) {
            case Outcome.AccountChanged a -> a.account();
            case Outcome.Rejected r -> throw ApiException.rejected(r.rejection());
            default -> throw new AssertionError("an account command answered " + o);
        };
    }

    static LedgerControls controls(Outcome o) {
        return switch (o) {
            case Outcome.ControlsChanged c -> c.controls();
            case Outcome.Rejected r -> throw ApiException.rejected(r.rejection());
            default -> throw new AssertionError("a controls command answered " + o);
        };
    }
}

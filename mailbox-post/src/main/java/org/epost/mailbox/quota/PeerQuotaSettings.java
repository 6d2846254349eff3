package org.epost.mailbox.quota;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;

import org.apache.james.mailbox.exception.MailboxException;

/**
 * The peer's global and per-domain limits while it runs: read once from the store when the peer starts (a store that
 * cannot be read stops the start), answered from memory, and written through on every change. A change is visible
 * only once it is saved, so what readers see is what the peer restarts with.
 */
final class PeerQuotaSettings {
    private final PeerQuotaLimitStore store;
    private volatile PeerQuotaLimits current;

    /** @throws UncheckedIOException when the saved limits cannot be read (the store's message says where and why) */
    PeerQuotaSettings(PeerQuotaLimitStore store) {
        this.store = store;
        try {
            this.current = store.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    PeerQuotaLimits current() {
        return current;
    }

    /** Applies {@code change} and saves the result; on failure nothing changes. Changes are applied one at a time. */
    synchronized void update(UnaryOperator<PeerQuotaLimits> change) throws MailboxException {
        PeerQuotaLimits changed = change.apply(current);
        if (changed.equals(current)) {
            return;
        }
        try {
            store.save(changed);
        } catch (IOException e) {
            throw new MailboxException("the peer's quota limits could not be saved: " + e.getMessage(), e);
        }
        current = changed;
    }
}

package org.epost.mailbox.support;

import org.epost.mailbox.quota.PeerQuotaLimitStore;
import org.epost.mailbox.quota.PeerQuotaLimits;

/** The peer's global and domain limits kept in memory, for mailbox stacks whose tests are not about the file. */
public final class InMemoryPeerQuotaLimitStore implements PeerQuotaLimitStore {
    private volatile PeerQuotaLimits saved = PeerQuotaLimits.NONE;

    @Override
    public PeerQuotaLimits load() {
        return saved;
    }

    @Override
    public void save(PeerQuotaLimits limits) {
        saved = limits;
    }
}

package org.epost.mailbox.quota;

import java.io.IOException;

/** Where a peer keeps its global and per-domain quota limits between runs. */
public interface PeerQuotaLimitStore {

    /** The limits saved last; {@link PeerQuotaLimits#NONE} when none were ever saved. */
    PeerQuotaLimits load() throws IOException;

    /** Replaces the saved limits; durable when it returns. */
    void save(PeerQuotaLimits limits) throws IOException;
}

package org.epost.peer.lease;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.post.lease.LeaseReference;
import org.epost.post.lease.ReferenceSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference sources other components of the peer register (the mailbox backend: its folder logs' blocks and its
 * messages' parts), answered as one. A source that throws is logged and skipped for that round instead of failing
 * the round: one broken component must not stop the refresh of everything else the peer keeps alive.
 */
public final class ReferenceRegistry implements ReferenceSource {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceRegistry.class);

    private final CopyOnWriteArrayList<ReferenceSource> sources = new CopyOnWriteArrayList<>();
    private final AtomicLong sourceFailures = new AtomicLong();

    /** Adds {@code source}; its references are refreshed from the next round on. Registering twice has no effect. */
    public void register(ReferenceSource source) {
        sources.addIfAbsent(Objects.requireNonNull(source, "source"));
    }

    /** Removes {@code source}; what only it referenced is no longer refreshed and lapses with its leases. */
    public boolean unregister(ReferenceSource source) {
        return sources.remove(source);
    }

    public int size() {
        return sources.size();
    }

    /** How often a registered source threw instead of answering. */
    public long sourceFailures() {
        return sourceFailures.get();
    }

    @Override
    public Set<LeaseReference> references() {
        Set<LeaseReference> references = new LinkedHashSet<>();
        for (ReferenceSource source : sources) {
            try {
                references.addAll(source.references());
            } catch (RuntimeException e) {
                sourceFailures.incrementAndGet();
                LOG.warn("Reference source {} failed; its blocks are not refreshed this round", source, e);
            }
        }
        return references;
    }
}

package org.epost.peer.lease;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.epost.overlay.past.block.BlockKey;
import org.epost.post.lease.LeaseReference;
import org.epost.post.lease.ReferenceSource;

/**
 * The POST account blocks (certificate, identity) of the users homed on this peer, which the peer keeps alive for
 * as long as the user exists here. Kept as a snapshot updated when an account is provisioned or retired, so that
 * {@link #references()} — asked on the overlay node's thread at every refresh round — reads no disk.
 */
public final class HomedAccountReferences implements ReferenceSource {
    private final Map<String, List<BlockKey>> byAddress = new ConcurrentHashMap<>();

    /** From now on, refresh {@code blocks} for {@code address} (replacing what was tracked for it). */
    public void track(String address, Collection<BlockKey> blocks) {
        byAddress.put(address.toLowerCase(Locale.ROOT), List.copyOf(blocks));
    }

    /** Stops refreshing the blocks of {@code address}: they lapse with their leases. */
    public boolean forget(String address) {
        return byAddress.remove(address.toLowerCase(Locale.ROOT)) != null;
    }

    /** The tracked accounts and their blocks, by normalized address (a snapshot). */
    public Map<String, List<BlockKey>> byAddress() {
        return Map.copyOf(byAddress);
    }

    public int accounts() {
        return byAddress.size();
    }

    @Override
    public Set<LeaseReference> references() {
        Set<LeaseReference> references = new LinkedHashSet<>();
        for (List<BlockKey> blocks : byAddress.values()) {
            for (BlockKey block : blocks) {
                references.add(LeaseReference.of(block));
            }
        }
        return references;
    }
}

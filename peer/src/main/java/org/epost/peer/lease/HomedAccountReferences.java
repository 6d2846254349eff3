package org.epost.peer.lease;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;

import org.epost.overlay.past.block.BlockKey;
import org.epost.peer.directory.MovedUsers;
import org.epost.post.lease.LeaseReference;
import org.epost.post.lease.ReferenceSource;

/**
 * The POST account blocks (certificate, identity) of the users homed on this peer, which the peer keeps alive for
 * as long as the user exists here. Kept as a snapshot updated when an account is provisioned or retired, so that
 * {@link #references()} — asked on the overlay node's thread at every refresh round — reads no disk.
 */
public final class HomedAccountReferences implements ReferenceSource {
    private final Map<String, List<BlockKey>> byAddress = new ConcurrentHashMap<>();
    private final MovedUsers moved;

    public HomedAccountReferences() {
        this(new MovedUsers());
    }

    /**
     * Users {@code moved} away from this peer (re-homed while it was away) are left out whatever was tracked: their
     * new home refreshes their leases and publishes their lease mandate, which a stale one from here must not replace.
     */
    @Inject
    public HomedAccountReferences(MovedUsers moved) {
        this.moved = moved;
    }

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
        Map<String, List<BlockKey>> homed = new HashMap<>(byAddress);
        homed.keySet().removeIf(address -> moved.newHomeOf(address).isPresent());
        return Map.copyOf(homed);
    }

    public int accounts() {
        return byAddress().size();
    }

    @Override
    public Set<LeaseReference> references() {
        Set<LeaseReference> references = new LinkedHashSet<>();
        for (List<BlockKey> blocks : byAddress().values()) {
            for (BlockKey block : blocks) {
                references.add(LeaseReference.of(block));
            }
        }
        return references;
    }
}

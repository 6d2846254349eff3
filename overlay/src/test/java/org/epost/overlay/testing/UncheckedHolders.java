package org.epost.overlay.testing;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.protocol.messages.FetchReply;
import org.epost.overlay.past.protocol.messages.FetchRequest;
import org.epost.overlay.past.protocol.messages.LookupReply;
import org.epost.overlay.past.protocol.messages.LookupRequest;
import org.epost.overlay.past.store.StoredBlock;
import org.epost.overlay.past.store.TamperingBlockStore;
import org.epost.overlay.pastry.messages.DirectMessage;
import org.epost.overlay.pastry.messages.HopAck;
import org.epost.overlay.pastry.messages.RouteHop;
import org.epost.overlay.sim.SimNetwork;
import org.epost.overlay.sim.Simulation.SimNode;

/**
 * Plays PAST holders that hand out whatever their disk holds without checking it, as a faulty or malicious holder
 * would. Their own PAST verifies every copy before serving it, so the network answers for them: a lookup or a fetch
 * addressed to such a holder never reaches it; it is answered in the holder's name with the raw bytes of its store
 * (a {@link TamperingBlockStore} shows its corruption there), in exactly the messages PAST itself would send. Since
 * the holder's PAST never sees the request, it does not notice (nor drop) a corrupted copy: only a reader's repair
 * (a store request, which goes through) can replace it.
 *
 * <p>A holder's lookups and fetches addressed to itself do not cross the network: read through another node.
 */
final class UncheckedHolders implements SimNetwork.Interceptor {
    private static final byte[] NONE = new byte[0];

    private final Map<Id, SimNode> nodes;
    private final Map<Id, TamperingBlockStore> stores;
    private final PastConfig config;
    private final Set<Id> unchecked = new HashSet<>();
    private long served;

    UncheckedHolders(Map<Id, SimNode> nodes, Map<Id, TamperingBlockStore> stores, PastConfig config) {
        this.nodes = nodes;
        this.stores = stores;
        this.config = config;
    }

    void set(Past holder, boolean value) {
        Id id = holder.localHandle().id();
        if (value) {
            unchecked.add(id);
        } else {
            unchecked.remove(id);
        }
    }

    /** Copies (or "none" answers) served unchecked so far. */
    long served() {
        return served;
    }

    @Override
    public Object intercept(NodeHandle from, NodeHandle to, Object message) {
        if (!unchecked.contains(to.id())) {
            return message;
        }
        if (message instanceof DirectMessage direct && Past.APPLICATION.equals(direct.application())
                && direct.payload() instanceof FetchRequest request) {
            BlockKey key = key(request.handle(), request.kind());
            if (key == null) {
                return message;
            }
            Optional<StoredBlock> held = stores.get(to.id()).get(key);
            answer(to, request.sender(), new FetchReply(request.requestId(),
                    held.map(StoredBlock::encoded).orElse(NONE), held.map(StoredBlock::leaseExpiry).orElse(0L)));
            return null;
        }
        if (message instanceof RouteHop hop && Past.APPLICATION.equals(hop.routed().application())
                && hop.routed().payload() instanceof LookupRequest request && !request.client().equals(to)) {
            BlockKey key = key(request.handle(), request.kind());
            Optional<StoredBlock> held = key == null ? Optional.empty() : stores.get(to.id()).get(key);
            if (held.isEmpty()) {
                return message; // not held: the holder forwards it, or answers "none", as any holder would
            }
            // Held: PAST answers on the path or at the root alike, after acknowledging the hop.
            nodes.get(to.id()).transport().send(from, new HopAck(hop.hopId()));
            answer(to, request.client(), new LookupReply(request.requestId(), to, held.get().encoded(),
                    held.get().leaseExpiry(), nodes.get(to.id()).lookups().replicaSet(request.handle(),
                            config.replicas() + config.maxDiversions())));
            return null;
        }
        return message;
    }

    private void answer(NodeHandle holder, NodeHandle to, Message reply) {
        served++;
        nodes.get(holder.id()).transport().send(to, new DirectMessage(Past.APPLICATION, reply));
    }

    private static BlockKey key(Id handle, long kindCode) {
        return BlockKind.fromCode(kindCode).map(kind -> new BlockKey(handle, kind)).orElse(null);
    }
}

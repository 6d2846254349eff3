package org.epost.overlay.past.protocol;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.protocol.MaintenanceRound.DigestEntry;
import org.epost.overlay.past.protocol.MaintenanceRound.Handoff;
import org.epost.overlay.past.protocol.messages.DigestReply;
import org.epost.overlay.past.protocol.messages.ReplicaDigest;
import org.epost.overlay.past.protocol.messages.StoreReply;
import org.epost.overlay.past.protocol.messages.StoreRequest;
import org.epost.overlay.past.store.StoreResult;
import org.epost.overlay.past.store.StoredBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replica maintenance and hand-off, the sending side; {@link DigestResponder} is the answering one. Periodically and
 * shortly after leaf-set changes: collect expired blocks; for every block held, send each other replica holder a
 * digest (handle, kind, version) of what they should share, and push what it reports missing. Blocks this node is
 * no longer among the k closest for are offered the same way to their k holders and deleted only once all k
 * confirmed them. One round at a time; a change during a round makes another one follow it.
 */
final class ReplicaMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);
    private static final Id MIN_ID = Id.of(new byte[Id.BYTES]);
    private static final Id MAX_ID = Id.fromBigInteger(BigInteger.ONE.shiftLeft(Id.BITS).subtract(BigInteger.ONE));

    private final PastContext ctx;
    private final Overlay overlay;
    private final LocalReplicas local;
    private MaintenanceRound round;
    private boolean rerunRequested;
    private boolean updateScheduled;

    ReplicaMaintenance(PastContext ctx, Overlay overlay, LocalReplicas local) {
        this.ctx = ctx;
        this.overlay = overlay;
        this.local = local;
    }

    /** Starts the periodic rounds. */
    void start() {
        // A phase derived from the node id: nodes do not all maintain at once, and a simulation stays replayable.
        long phase = 1 + Math.floorMod(ctx.self.id().hashCode(), ctx.config.maintenanceIntervalMillis());
        ctx.scheduler.schedule(phase, this::periodic);
    }

    /** The leaf set changed: a round soon, once per burst of changes (they come in bursts). */
    void leafSetChanged() {
        if (!updateScheduled) {
            updateScheduled = true;
            ctx.scheduler.schedule(ctx.config.updateDelayMillis(), () -> {
                updateScheduled = false;
                run(false);
            });
        }
    }

    private void periodic() {
        run(true);
        ctx.scheduler.schedule(ctx.config.maintenanceIntervalMillis(), this::periodic);
    }

    /** A round now: digests to every peer we share blocks with, in batches; expired blocks first if asked. */
    void run(boolean collectExpired) {
        if (collectExpired) {
            ctx.counters.blocksExpired(ctx.store.collectExpired().size());
        }
        if (!overlay.isReady()) {
            return;
        }
        if (round != null) {
            rerunRequested = true;
            return;
        }
        ctx.counters.maintenanceRound();
        MaintenanceRound current = new MaintenanceRound();
        round = current;
        Map<NodeHandle, List<DigestEntry>> perPeer = new LinkedHashMap<>();
        ctx.store.forEachInRange(MIN_ID, MAX_ID, key -> {
            List<NodeHandle> holders = ctx.replicaSet(key.handle());
            long version = 0;
            if (key.kind() == BlockKind.PUBLIC_KEY) {
                Optional<StoredBlock> held = ctx.store.get(key);
                if (held.isEmpty()) {
                    return;
                }
                version = held.get().version();
            }
            List<NodeHandle> others = new ArrayList<>();
            for (NodeHandle holder : holders) {
                if (!holder.equals(ctx.self)) {
                    others.add(holder);
                    perPeer.computeIfAbsent(holder, h -> new ArrayList<>()).add(new DigestEntry(key, version));
                }
            }
            if (!holders.contains(ctx.self) && !others.isEmpty()) {
                current.handoffs.put(key, new Handoff(others));
            }
        });
        int batch = ctx.config.digestBatch();
        perPeer.forEach((peer, entries) -> {
            for (int from = 0; from < entries.size(); from += batch) {
                sendDigest(current, peer, entries.subList(from, Math.min(entries.size(), from + batch)));
            }
        });
        endRoundIfDone(current);
    }

    private void sendDigest(MaintenanceRound current, NodeHandle peer, List<DigestEntry> entries) {
        List<Id> handles = new ArrayList<>(entries.size());
        byte[] kinds = new byte[entries.size()];
        List<Long> versions = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            handles.add(entries.get(i).key().handle());
            kinds[i] = (byte) entries.get(i).key().kind().code();
            versions.add(entries.get(i).version());
        }
        current.outstanding++;
        long id = ctx.nextId();
        ctx.expect(id, DigestReply.class, peer, answer -> {
            Set<BlockKey> missing = new HashSet<>();
            for (int i = 0; i < answer.missingHandles().size(); i++) {
                BlockKey key = PastContext.blockKey(answer.missingHandles().get(i), answer.missingKinds()[i]);
                if (key != null) {
                    missing.add(key);
                }
            }
            for (DigestEntry entry : entries) {
                if (missing.contains(entry.key())) {
                    local.servable(entry.key()).ifPresent(held -> push(current, peer, held));
                } else {
                    current.confirm(entry.key(), peer);
                }
            }
            current.outstanding--;
            endRoundIfDone(current);
        }, () -> {
            current.outstanding--;
            endRoundIfDone(current);
        });
        ctx.send(peer, new ReplicaDigest(id, ctx.self, handles, kinds, versions));
    }

    private void push(MaintenanceRound current, NodeHandle peer, StoredBlock held) {
        current.outstanding++;
        ctx.counters.replicaPushed();
        long id = ctx.nextId();
        ctx.expect(id, StoreReply.class, peer, reply -> {
            if (StoreResult.Status.STORED.name().equals(reply.status())) {
                current.confirm(held.key(), peer);
            }
            current.outstanding--;
            endRoundIfDone(current);
        }, () -> {
            current.outstanding--;
            endRoundIfDone(current);
        });
        ctx.sendBulk(peer, new StoreRequest(id, ctx.self, held.key().handle(), held.encoded(), held.leaseExpiry()));
    }

    /** Once nothing is outstanding: drop the copies every target confirmed, and start a requested rerun. */
    private void endRoundIfDone(MaintenanceRound current) {
        if (current.outstanding > 0 || round != current) {
            return;
        }
        current.handoffs.forEach((key, handoff) -> {
            if (handoff.complete() && ctx.store.delete(key)) {
                ctx.counters.blockHandedOff();
                LOG.debug("{}: handed {} off to {}", ctx.self, key, handoff.targets);
            }
        });
        round = null;
        if (rerunRequested) {
            rerunRequested = false;
            ctx.scheduler.schedule(0, () -> run(false));
        }
    }
}

package org.epost.durability.glacier;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.epost.durability.aggregate.AggregatePointer;
import org.epost.durability.fragment.FragmentFormatException;
import org.epost.durability.fragment.FragmentPlacement;
import org.epost.durability.glacier.messages.PointerGet;
import org.epost.durability.glacier.messages.PointerGetReply;
import org.epost.durability.glacier.messages.PointerPut;
import org.epost.durability.glacier.store.FragmentKey;
import org.epost.durability.glacier.store.FragmentMeta;
import org.epost.durability.glacier.store.FragmentStore;
import org.epost.overlay.id.Id;
import org.epost.overlay.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregate pointers one node holds ({@link AggregatePointer}), each copy under its own lease, in the node's
 * fragment store beside its fragments (key range {@link FragmentKey#POINTER_BASE}), so they survive restarts. The
 * index (copy -> lease) is in memory; the 45 bytes of a pointer are read from the store when asked for. A pointer
 * put at another position than its own, or that does not decode, is refused and logged. A copy already held keeps
 * the aggregate it names (the first put wins, the lease is extended): the honest root puts its pointers when the
 * aggregate is archived, before anyone else learns of the member, so a later put cannot redirect readers.
 */
final class AggregatePointers {
    private static final Logger LOG = LoggerFactory.getLogger(AggregatePointers.class);
    private static final byte[] NONE = new byte[0];

    private final GlacierContext ctx;
    private final Map<FragmentKey, FragmentMeta> held = new HashMap<>();
    private long bytes;
    private Scheduler.Cancellable sweep;

    AggregatePointers(GlacierContext ctx) {
        this.ctx = ctx;
        store().forEachRecord((key, meta) -> {
            if (key.isPointer()) {
                held.put(key, meta);
                bytes += meta.encodedBytes();
            }
        });
    }

    private FragmentStore store() {
        return ctx.local.store();
    }

    /** A pointer copy delivered under {@code key}, which must be that copy's own position. */
    void put(Id key, PointerPut put) {
        AggregatePointer pointer;
        try {
            pointer = AggregatePointer.decode(put.pointer());
        } catch (FragmentFormatException e) {
            refuse("a malformed aggregate pointer (" + e.getMessage() + ")");
            return;
        }
        if (put.n() < 2 || put.n() > 256 || put.index() < 0 || put.index() >= put.n()
                || !key.equals(FragmentPlacement.position(pointer.member(), put.index(), put.n()))) {
            refuse("pointer copy " + put.index() + "/" + put.n() + " of " + pointer.member() + " delivered at " + key
                + ", not at its position");
            return;
        }
        long expiry = Math.min(put.expiry(), ctx.scheduler.now() + ctx.config.maxLeaseMillis());
        if (extend(pointer.member(), put.index(), expiry) || expiry <= ctx.scheduler.now()) {
            return;
        }
        byte[] encoded = pointer.encode();
        FragmentKey copy = FragmentKey.pointer(pointer.member(), put.index());
        FragmentMeta meta = new FragmentMeta(expiry, put.n(), encoded.length);
        store().put(copy, meta, encoded);
        held.put(copy, meta);
        bytes += encoded.length;
        ctx.counters.pointersStored++;
    }

    private void refuse(String what) {
        ctx.counters.forgedFragments++;
        LOG.warn("{}: {} refused", ctx.self, what);
    }

    /** Gives a held copy the lease {@code expiry} if that is longer; false when it is not held. */
    boolean extend(Id member, int index, long expiry) {
        FragmentKey copy = FragmentKey.pointer(member, index);
        FragmentMeta meta = held.get(copy);
        if (meta == null) {
            return false;
        }
        if (expiry > meta.expiry()) {
            store().put(copy, meta.withExpiry(expiry), null);
            held.put(copy, meta.withExpiry(expiry));
        }
        return true;
    }

    void get(PointerGet get) {
        Optional<byte[]> found = read(FragmentKey.pointer(get.member(), get.index()));
        long expiry = found.isPresent() ? held.get(FragmentKey.pointer(get.member(), get.index())).expiry() : 0;
        ctx.send(get.sender(), new PointerGetReply(get.requestId(), found.orElse(NONE), expiry), false);
    }

    /** The copy's bytes if held, live and still a pointer of that member; an expired or rotten copy is dropped. */
    private Optional<byte[]> read(FragmentKey copy) {
        FragmentMeta meta = held.get(copy);
        if (meta == null) {
            return Optional.empty();
        }
        if (meta.expiry() > ctx.scheduler.now()) {
            Optional<byte[]> bytes = store().read(copy);
            try {
                if (bytes.isPresent() && AggregatePointer.decode(bytes.get()).member().equals(copy.handle())) {
                    return bytes;
                }
            } catch (FragmentFormatException e) {
                LOG.error("{}: stored aggregate pointer {} is corrupt ({}); dropped", ctx.self, copy, e.getMessage());
            }
        }
        bytes -= held.remove(copy).encodedBytes();
        store().remove(copy);
        return Optional.empty();
    }

    /** Drops every copy whose lease ended (run with the audits' period, as fragments' leases are checked). */
    void dropExpired() {
        long now = ctx.scheduler.now();
        List<FragmentKey> expired = held.entrySet().stream().filter(e -> e.getValue().expiry() <= now)
            .map(Map.Entry::getKey).toList();
        for (FragmentKey copy : expired) {
            bytes -= held.remove(copy).encodedBytes();
            store().remove(copy);
        }
    }

    /** Drops expired copies every {@code millis} until stopped. */
    void sweepEvery(long millis) {
        sweep = ctx.scheduler.schedule(millis, () -> {
            dropExpired();
            sweepEvery(millis);
        });
    }

    void stop() {
        if (sweep != null) {
            sweep.cancel();
        }
    }

    int count() {
        return held.size();
    }

    long bytes() {
        return bytes;
    }
}

package org.epost.durability.glacier;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.durability.aggregate.Aggregate;
import org.epost.durability.aggregate.AggregatePointer;
import org.epost.durability.aggregate.Aggregator;
import org.epost.durability.fragment.FragmentFormatException;
import org.epost.durability.fragment.FragmentPlacement;
import org.epost.durability.glacier.messages.PointerPut;
import org.epost.durability.glacier.store.FragmentKey;
import org.epost.durability.glacier.store.FragmentMeta;
import org.epost.durability.glacier.store.FragmentStore;
import org.epost.overlay.id.Id;
import org.epost.overlay.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archiving root's side of aggregation: small blocks PAST reports as replicated are collected into one open
 * aggregate ({@link Aggregator}: bounded by the target size in memory) and coded as one object once it is full or
 * {@link AggregationPolicy#flushAfterMillis} after its first block. The aggregate's lease is the longest of its
 * members'. Once m of its fragments are stored, each member gets its {@link AggregatePointer} at the n positions its
 * own fragments would have, under the member's own lease, so that a reader can find the aggregate from the member.
 *
 * <p>Durable obligation: each collected block is first written to the fragment store as pending (a one-member
 * aggregate under {@link FragmentKey#pending}) and removed only once its aggregate is archived, so a crash before
 * then loses nothing: a restarted node collects its pending blocks again. An aggregate that reached fewer than m
 * holders is collected again after the flush delay. Node thread only.
 */
final class AggregatingArchiver {
    private static final Logger LOG = LoggerFactory.getLogger(AggregatingArchiver.class);

    private final GlacierContext ctx;
    private final Archiver archiver;
    private final Aggregator aggregator;
    /** The lease of each block collected and not yet archived (open, or in an aggregate being archived). */
    private final Map<Id, Long> leases = new HashMap<>();
    private Scheduler.Cancellable flushTimer;
    private boolean stopped;

    AggregatingArchiver(GlacierContext ctx, Archiver archiver) {
        this.ctx = ctx;
        this.archiver = archiver;
        this.aggregator = new Aggregator(ctx.config.aggregation().targetBytes());
    }

    /** Collects again the blocks a previous run left pending (called once, at start). */
    void resumePending() {
        Map<FragmentKey, Long> pending = new HashMap<>();
        store().forEachRecord((key, meta) -> {
            if (key.isPending()) {
                pending.put(key, meta.expiry());
            }
        });
        pending.forEach((key, expiry) -> {
            Optional<Aggregate> one = store().read(key).flatMap(AggregatingArchiver::decodeQuietly)
                .filter(a -> a.members().size() == 1 && a.members().get(0).handle().equals(key.handle()));
            if (one.isEmpty()) {
                LOG.error("{}: pending small block {} is corrupt in the store; dropped", ctx.self, key.handle());
            }
            if (one.isEmpty() || expiry <= ctx.scheduler.now()) {
                store().remove(key);
                return;
            }
            Aggregate.Member member = one.get().members().get(0);
            collect(key.handle(), member.kindCode(), one.get().member(key.handle(), member.kindCode()).orElseThrow(),
                expiry);
        });
        if (!pending.isEmpty()) {
            LOG.info("{}: {} small blocks left pending by the last run collected again", ctx.self, pending.size());
        }
    }

    private static Optional<Aggregate> decodeQuietly(byte[] bytes) {
        try {
            return Optional.of(Aggregate.decode(bytes));
        } catch (FragmentFormatException e) {
            return Optional.empty();
        }
    }

    /** A small block PAST replicated: kept pending on disk, then collected. */
    void add(Id handle, int kindCode, byte[] block, long expiry) {
        if (stopped) {
            return;
        }
        if (leases.containsKey(handle)) {
            leases.merge(handle, expiry, Math::max);
            return;
        }
        byte[] pending = new Aggregate(List.of(new Aggregate.Member(handle, kindCode, block.length)), block).encode();
        store().put(FragmentKey.pending(handle), new FragmentMeta(expiry, 1, pending.length), pending);
        collect(handle, kindCode, block, expiry);
    }

    private void collect(Id handle, int kindCode, byte[] block, long expiry) {
        if (stopped) {
            return;
        }
        if (leases.containsKey(handle)) {
            leases.merge(handle, expiry, Math::max);
            return;
        }
        leases.put(handle, expiry);
        aggregator.add(handle, kindCode, block).ifPresent(this::archive);
        if (flushTimer == null && aggregator.pendingBytes() > 0) {
            flushTimer = ctx.scheduler.schedule(ctx.config.aggregation().flushAfterMillis(), this::flush);
        }
    }

    /** A collected block's lease was extended before its aggregate was archived: the aggregate will live longer. */
    void extendPending(Id handle, long expiry) {
        leases.computeIfPresent(handle, (key, lease) -> Math.max(lease, expiry));
    }

    /** Codes the open aggregate now, whatever its size. */
    void flush() {
        if (flushTimer != null) {
            flushTimer.cancel();
            flushTimer = null;
        }
        aggregator.flush().ifPresent(this::archive);
    }

    /** An aggregate lives while any member's lease does. */
    private long expiryOf(Aggregate aggregate) {
        return aggregate.members().stream().mapToLong(m -> leases.getOrDefault(m.handle(), 0L)).max().orElse(0L);
    }

    private void archive(Aggregate aggregate) {
        long expiry = expiryOf(aggregate);
        Id handle = aggregate.handle();
        CompletableFuture<Integer> stored = new CompletableFuture<>();
        stored.thenAccept(count -> ctx.onNodeThread(() -> archived(aggregate, handle, count)));
        archiver.archive(handle, Aggregate.KIND_CODE, aggregate.encode(), expiry,
            stored);
    }

    private void archived(Aggregate aggregate, Id handle, int stored) {
        if (stopped) {
            return;
        }
        int m = ctx.config.code().m();
        if (stored < m) {
            LOG.warn("{}: aggregate {} of {} small blocks reached only {} fragment holders; collected again in {} ms",
                ctx.self, handle, aggregate.members().size(), stored, ctx.config.aggregation().flushAfterMillis());
            Map<Id, Long> retry = new HashMap<>();
            aggregate.members().forEach(member -> {
                retry.put(member.handle(), leases.getOrDefault(member.handle(), 0L));
                leases.remove(member.handle());
            });
            ctx.scheduler.schedule(ctx.config.aggregation().flushAfterMillis(), () -> aggregate.members().forEach(
                member -> collect(member.handle(), member.kindCode(),
                    aggregate.member(member.handle(), member.kindCode()).orElseThrow(), retry.get(member.handle()))));
            return;
        }
        int n = ctx.config.code().n();
        for (Aggregate.Member member : aggregate.members()) {
            long lease = leases.getOrDefault(member.handle(), expiryOf(aggregate));
            leases.remove(member.handle());
            putPointers(new AggregatePointer(member.handle(), member.kindCode(), handle), n, lease);
            store().remove(FragmentKey.pending(member.handle()));
        }
        ctx.counters.aggregatesArchived++;
        ctx.counters.membersAggregated += aggregate.members().size();
        LOG.debug("{}: aggregate {} of {} small blocks archived on {} holders", ctx.self, handle,
            aggregate.members().size(), stored);
    }

    /** Routes copy i of the pointer to the member's position i, for every i below n. */
    void putPointers(AggregatePointer pointer, int n, long expiry) {
        byte[] encoded = pointer.encode();
        for (int index = 0; index < n; index++) {
            ctx.route(FragmentPlacement.position(pointer.member(), index, n), new PointerPut(encoded, index, n, expiry),
                false);
        }
    }

    /**
     * The node stops (its store is about to close): nothing more is coded or written; what was collected stays
     * pending in the store for the next run.
     */
    void stop() {
        stopped = true;
        if (flushTimer != null) {
            flushTimer.cancel();
            flushTimer = null;
        }
    }

    private FragmentStore store() {
        return ctx.local.store();
    }
}

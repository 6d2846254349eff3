package org.epost.durability.glacier;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import org.epost.durability.fragment.FragmentPlacement;
import org.epost.durability.glacier.messages.AuditQuery;
import org.epost.durability.glacier.messages.FragmentGet;
import org.epost.durability.glacier.messages.FragmentLeaseExtend;
import org.epost.durability.glacier.messages.FragmentPut;
import org.epost.durability.glacier.messages.GlacierReply;
import org.epost.durability.glacier.messages.PointerGet;
import org.epost.durability.glacier.messages.PointerPut;
import org.epost.durability.glacier.store.FragmentStore;
import org.epost.durability.glacier.store.InMemoryFragmentStore;
import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.protocol.Past;
import org.epost.overlay.past.protocol.PastArchive;
import org.epost.overlay.past.protocol.PastLookupException;
import org.epost.overlay.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glacier on one node: durability of immutable objects, and of every version of mutable heads ({@link HeadVersions}),
 * against correlated failures, beside PAST's replicas.
 *
 * <ul>
 *   <li><b>Archive</b>: an object (a PAST block's encoding) is coded into n fragments, any m of which rebuild it
 *       ({@link org.epost.durability.params.GlacierParameters}); fragment i is routed to its evenly spaced position
 *       ({@link org.epost.durability.fragment.FragmentPlacement}) and held there under its own lease.</li>
 *   <li><b>Audit</b> ({@link Auditor}): holders compare their ranges with mirror ranges by digest, hand fragments to
 *       nodes that joined closer to them, and regenerate what they should hold and lack ({@link Regenerator}).</li>
 *   <li><b>Aggregate</b> ({@link AggregatingArchiver}): small immutable blocks are packed into aggregates of about
 *       1 MiB coded once; each member leaves a pointer at its own n positions, through which a reader finds the
 *       aggregate ({@link AggregateLocator}).</li>
 *   <li><b>Recover</b>: a reader whose PAST lookup found nothing rebuilds the object from any m fragments that
 *       verify, checks it with PAST's own verification, and inserts it into PAST again ({@link #read}).</li>
 * </ul>
 *
 * <p>Like PAST, a state machine on the node's single logical thread, driven by a transport and scheduler it does not
 * own: the same code runs over Netty and in the simulator. Public methods may be called from any thread.
 */
public final class Glacier implements Application, PastArchive {
    public static final String APPLICATION = "glacier";
    private static final Logger LOG = LoggerFactory.getLogger(Glacier.class);

    private final GlacierContext ctx;
    private final FragmentHolder holder;
    private final Archiver archiver;
    private final AggregatingArchiver aggregating;
    private final AggregatePointers pointers;
    private final AggregateLocator locator;
    private final Rebuilder rebuilder;
    private final HeadRecovery heads;
    private final Auditor auditor;
    private final MirrorResponder mirror;
    private final Past past;
    private boolean stopped;

    /**
     * @param past the node's PAST, into which recovered objects are inserted again (null: recovery only returns
     *             them)
     */
    public Glacier(Overlay overlay, Past past, ObjectVerifier verifier, Scheduler scheduler, GlacierConfig config) {
        this(overlay, past, verifier, scheduler, config, new InMemoryFragmentStore());
    }

    /**
     * @param store where the fragments held are kept (its records are read now, on the caller's thread); the caller
     *              closes it after the node stopped
     */
    public Glacier(Overlay overlay, Past past, ObjectVerifier verifier, Scheduler scheduler, GlacierConfig config,
                   FragmentStore store) {
        Objects.requireNonNull(overlay, "overlay");
        Endpoint endpoint = overlay.registerApplication(APPLICATION, this);
        this.ctx = new GlacierContext(endpoint, Objects.requireNonNull(scheduler, "scheduler"),
            Objects.requireNonNull(config, "config"), new AggregateVerifier(Objects.requireNonNull(verifier, "verifier")),
            Objects.requireNonNull(store, "store"));
        this.past = past;
        this.holder = new FragmentHolder(ctx);
        this.archiver = new Archiver(ctx);
        this.rebuilder = new Rebuilder(ctx, holder);
        this.pointers = new AggregatePointers(ctx);
        pointers.sweepEvery(config.auditIntervalMillis());
        this.aggregating = new AggregatingArchiver(ctx, archiver);
        this.locator = new AggregateLocator(ctx, rebuilder);
        // Blocks a previous run collected but did not archive: taken up once the node has had time to join.
        scheduler.schedule(config.aggregation().flushAfterMillis(), () -> {
            if (!stopped) {
                aggregating.resumePending();
            }
        });
        this.heads = new HeadRecovery(ctx, rebuilder);
        this.auditor = new Auditor(ctx, new Regenerator(ctx, rebuilder, holder));
        this.mirror = new MirrorResponder(ctx);
        auditor.start();
    }

    // ================================================================ public API (any thread)

    /** Archives the object {@code handle} of block kind {@code kindCode}; completes with the fragments stored. */
    public CompletableFuture<Integer> archive(Id handle, int kindCode, byte[] object, long leaseExpiry) {
        byte[] bytes = object.clone();
        CompletableFuture<Integer> result = new CompletableFuture<>();
        ctx.onNodeThread(() -> archiver.archive(handle, kindCode, bytes, leaseExpiry, result));
        return result;
    }

    /** Rebuilds the object from its fragments (coded with this node's n); empty if fewer than m verify. */
    public CompletableFuture<Optional<byte[]>> recover(Id handle) {
        CompletableFuture<Optional<byte[]>> result = new CompletableFuture<>();
        ctx.onNodeThread(() -> rebuilder.rebuild(handle, ctx.config.code().n(), ctx.config.code().m(), false,
            rebuilt -> result.complete(rebuilt.map(Rebuilder.Rebuilt::object))));
        return result;
    }

    /**
     * Reads a block through PAST and, when no replica is found, rebuilds it from fragments and inserts it into PAST
     * again (with the fragments' lease). Empty when neither has it; exceptionally when PAST refused a head's version
     * as a rollback ({@link PastLookupException}), which the fragments must not get around.
     */
    public CompletableFuture<Optional<byte[]>> read(BlockKey key) {
        Objects.requireNonNull(past, "read needs the node's PAST");
        return past.lookup(key).handle((found, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof PastLookupException) {
                return CompletableFuture.<Optional<byte[]>>failedFuture(cause);
            }
            return failure == null && found.isPresent()
                ? CompletableFuture.completedFuture(Optional.of(found.get().encoded())) : recover(key);
        }).thenCompose(read -> read);
    }

    /**
     * PAST's archive hook: PAST calls this at a block's root once k replicas of a block are durable; the root codes
     * it into fragments under the block's lease. A public-key block (a mutable head) is archived as the object of
     * its version ({@link HeadVersions#archiveHandle}), beside its earlier versions.
     */
    @Override
    public void replicated(Id handle, BlockKind kind, byte[] encoded, long leaseExpiry) {
        Id object = handle;
        if (kind == BlockKind.PUBLIC_KEY) {
            Optional<HeadVersions.Claim> claim = HeadVersions.claimedBy(encoded).filter(c -> c.head().equals(handle));
            if (claim.isEmpty()) {
                LOG.warn("{}: PAST replicated {} as a public-key block it is not; not archived", ctx.self, handle);
                return;
            }
            object = HeadVersions.archiveHandle(handle, claim.get().version());
        } else if (ctx.config.aggregation().aggregates(encoded.length)) {
            byte[] block = encoded.clone();
            ctx.onNodeThread(() -> aggregating.add(handle, kind.code(), block, leaseExpiry));
            return;
        }
        archive(object, kind.code(), encoded, leaseExpiry).whenComplete((stored, failure) -> {
            if (failure != null || stored < ctx.config.code().m()) {
                LOG.warn("{}: {} archived on only {} fragment holders", ctx.self, handle, stored, failure);
            }
        });
    }

    /**
     * PAST's archive hook: PAST extended the lease of a block at this node, its root. The block's fragments follow:
     * one extension is routed to each of the n positions (the holders extend only fragments they hold). For a
     * mutable head, those of the version this root holds and of its anchors, which the search for the newest version
     * passes through ({@link HeadRecovery}).
     */
    @Override
    public void leaseExtended(Id handle, BlockKind kind, long newExpiry) {
        ctx.onNodeThread(() -> {
            if (kind != BlockKind.PUBLIC_KEY) {
                extendFragments(handle, newExpiry);
                extendAggregate(new BlockKey(handle, kind), newExpiry);
                return;
            }
            Optional<HeadVersions.Claim> held = past == null ? Optional.empty()
                : past.store().get(new BlockKey(handle, kind)).flatMap(stored -> HeadVersions.claimedBy(stored.encoded()));
            held.ifPresent(claim -> HeadVersions.anchors(claim.version()).forEach(version ->
                extendFragments(HeadVersions.archiveHandle(handle, version), newExpiry)));
        });
    }

    private void extendFragments(Id object, long newExpiry) {
        int n = ctx.config.code().n();
        for (int index = 0; index < n; index++) {
            ctx.route(FragmentPlacement.position(object, index, n), new FragmentLeaseExtend(object, index, n, newExpiry),
                false);
        }
    }

    /**
     * A small block's lease was extended: its aggregate lives at least as long (an aggregate's lease is its longest
     * member's), and its pointer is put again at all n positions under the new lease, which also restores copies
     * lost with failed nodes and moves them to nodes that joined closer to their positions.
     */
    private void extendAggregate(BlockKey key, long newExpiry) {
        boolean small = past != null && past.store().get(key)
            .filter(stored -> ctx.config.aggregation().aggregates(stored.encoded().length)).isPresent();
        if (!small) {
            return;
        }
        aggregating.extendPending(key.handle(), newExpiry);
        locator.pointers(key.handle(), key.kind().code(), found -> found.stream().findFirst().ifPresent(pointer -> {
            extendFragments(pointer.pointer().aggregate(), newExpiry);
            aggregating.putPointers(pointer.pointer(), ctx.config.code().n(), newExpiry);
        }));
    }

    /** Held fragments whose lease an extension made longer. */
    public long leasesExtended() {
        return ctx.counters.leasesExtended;
    }

    /**
     * PAST's archive hook, and the second half of {@link #read}: rebuilds the block from fragments and inserts it
     * into PAST again (with the fragments' lease). Empty when fewer than m fragments verify.
     */
    @Override
    public CompletableFuture<Optional<byte[]>> recover(BlockKey key) {
        CompletableFuture<Optional<byte[]>> result = new CompletableFuture<>();
        Consumer<Optional<Rebuilder.Rebuilt>> reinsert = rebuilt -> {
            ctx.counters.recoveries++;
            rebuilt.ifPresent(r -> {
                LOG.info("{}: {} rebuilt from fragments, inserted into PAST again", ctx.self, key);
                if (past != null) {
                    past.insertEncoded(key.handle(), r.object(), r.expiry());
                }
            });
            result.complete(rebuilt.map(Rebuilder.Rebuilt::object));
        };
        ctx.onNodeThread(() -> {
            if (key.kind() == BlockKind.PUBLIC_KEY) {
                heads.recover(key.handle(), reinsert);
                return;
            }
            // Small blocks are found through their aggregate's pointers (a few small requests); a block coded alone
            // has no pointer and is rebuilt from its own fragments.
            locator.recover(key.handle(), key.kind().code(), viaAggregate -> {
                if (viaAggregate.isPresent()) {
                    reinsert.accept(viaAggregate);
                } else {
                    rebuilder.rebuild(key.handle(), ctx.config.code().n(), ctx.config.code().m(), false, reinsert);
                }
            });
        });
        return result;
    }

    /**
     * Stops auditing and answering (node thread): the node is shutting down and its fragment store is about to
     * close. Requests in flight are left to time out.
     */
    public void stop() {
        stopped = true;
        auditor.stop();
        pointers.stop();
        aggregating.stop();
    }

    /** This node's figures now (node thread, or a quiescent simulation). */
    public GlacierFigures figures() {
        GlacierCounters c = ctx.counters;
        return new GlacierFigures(ctx.config.code().n(), ctx.config.code().m(), ctx.local.count(),
            ctx.local.usedBytes(), ctx.config.quotaBytes(), c.fragmentsStored, c.fragmentsRegenerated,
            c.fragmentsHandedOff, c.fragmentsExpired, c.forgedFragments + ctx.local.corruptDropped(),
            c.rebuildsSucceeded, c.rebuildsFailed, c.recoveries, c.auditRounds, c.messagesSent,
            c.maintenanceMessages, pointers.count(), pointers.bytes(), c.aggregatesArchived, c.membersRecovered);
    }

    /** The root's side of aggregation (package tests put forged pointers through it). */
    AggregatingArchiver aggregating() {
        return aggregating;
    }

    /** Aggregate pointer copies held (node thread or a quiescent simulation). */
    public int pointersHeld() {
        return pointers.count();
    }

    /** Bytes of the aggregate pointer copies held (node thread or a quiescent simulation). */
    public long pointerBytes() {
        return pointers.bytes();
    }

    /** Aggregates this node archived as a root, and the small blocks in them. */
    public long aggregatesArchived() {
        return ctx.counters.aggregatesArchived;
    }

    public long membersAggregated() {
        return ctx.counters.membersAggregated;
    }

    /** Small blocks this node rebuilt through their aggregate for a reader. */
    public long membersRecovered() {
        return ctx.counters.membersRecovered;
    }

    /** Runs an audit round now, as the timer does. */
    public void auditNow() {
        ctx.onNodeThread(auditor::round);
    }

    public NodeHandle localHandle() {
        return ctx.self;
    }

    public GlacierConfig config() {
        return ctx.config;
    }

    /** Whether this node holds fragment {@code index} of the object (node thread or a quiescent simulation). */
    public boolean holds(Id handle, int index) {
        return ctx.local.contains(handle, index);
    }

    /** Calls {@code action} with (object handle, index) of every fragment held (node thread or quiescent simulation). */
    public void forEachHeld(java.util.function.BiConsumer<Id, Integer> action) {
        for (LocalFragments.Held held : ctx.local.all()) {
            action.accept(held.handle(), held.index());
        }
    }

    /** Audit and regeneration state, for the simulator's trace (node thread or quiescent simulation). */
    public String repairState() {
        return auditor.describe();
    }

    /** Whether this node believes it is responsible for the ring position (node thread or quiescent simulation). */
    public boolean responsibleFor(Id position) {
        return ctx.endpoint.isResponsibleFor(position);
    }

    public int fragmentsHeld() {
        return ctx.local.count();
    }

    public long fragmentBytes() {
        return ctx.local.usedBytes();
    }

    public long messagesSent() {
        return ctx.counters.messagesSent;
    }

    public long maintenanceMessages() {
        return ctx.counters.maintenanceMessages;
    }

    public long fragmentsRegenerated() {
        return ctx.counters.fragmentsRegenerated;
    }

    public long fragmentsHandedOff() {
        return ctx.counters.fragmentsHandedOff;
    }

    public long fragmentsExpired() {
        return ctx.counters.fragmentsExpired;
    }

    /** Fragments refused or discarded for not verifying (each logged). */
    public long forgedFragments() {
        return ctx.counters.forgedFragments;
    }

    public long rebuildsSucceeded() {
        return ctx.counters.rebuildsSucceeded;
    }

    public long rebuildsFailed() {
        return ctx.counters.rebuildsFailed;
    }

    /** Fragments found corrupt when read from the store, and dropped (each logged). */
    public long corruptFragmentsDropped() {
        return ctx.local.corruptDropped();
    }

    public long auditRounds() {
        return ctx.counters.auditRounds;
    }

    // ================================================================ upcalls (node thread)

    @Override
    public void deliver(Id key, Message msg) {
        if (stopped) {
            return;
        }
        if (msg instanceof GlacierReply reply) {
            ctx.accept(reply, null);
        } else if (msg instanceof FragmentPut put) {
            holder.put(key, put);
        } else if (msg instanceof FragmentLeaseExtend extension) {
            if (holder.extend(key, extension)) {
                pointers.extend(extension.objectHandle(), extension.index(),
                    Math.min(extension.expiry(), ctx.scheduler.now() + ctx.config.maxLeaseMillis()));
            }
        } else if (msg instanceof PointerPut put) {
            pointers.put(key, put);
        } else if (msg instanceof PointerGet get) {
            pointers.get(get);
        } else if (msg instanceof FragmentGet get) {
            holder.get(get);
        } else if (msg instanceof AuditQuery query) {
            mirror.answer(query);
        } else {
            LOG.warn("{}: unexpected Glacier message {}, ignored", ctx.self, msg == null ? null : msg.getClass().getName());
        }
    }

    /** Answers come straight over a link, whose peer is known: a hand-off must know that another node took it. */
    @Override
    public void deliverDirect(NodeHandle sender, Id localKey, Message msg) {
        if (msg instanceof GlacierReply reply) {
            if (!stopped) {
                ctx.accept(reply, sender);
            }
        } else {
            deliver(localKey, msg);
        }
    }

    @Override
    public void update(NodeHandle handle, boolean joined) {
        auditor.leafSetChanged(joined);
    }

    @Override
    public String toString() {
        return "Glacier" + ctx.self;
    }
}

package org.epost.overlay.past.protocol;

import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.api.RouteMessage;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.block.Verification;
import org.epost.overlay.past.protocol.messages.ClosestRequest;
import org.epost.overlay.past.protocol.messages.FetchRequest;
import org.epost.overlay.past.protocol.messages.HoldCheck;
import org.epost.overlay.past.protocol.messages.InsertRequest;
import org.epost.overlay.past.protocol.messages.LeaseCheck;
import org.epost.overlay.past.protocol.messages.LeaseExtend;
import org.epost.overlay.past.protocol.messages.LeaseRequest;
import org.epost.overlay.past.protocol.messages.LookupRequest;
import org.epost.overlay.past.protocol.messages.PastReply;
import org.epost.overlay.past.protocol.messages.ReplicaDigest;
import org.epost.overlay.past.protocol.messages.StoreRequest;
import org.epost.overlay.past.store.BlockStore;
import org.epost.overlay.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PAST on one node: replicated storage of self-verifying blocks on the k live nodes closest to each handle.
 *
 * <ul>
 *   <li><b>Insert</b>: routed to the handle's root, which stores the block and has the next closest nodes store
 *       it until k acknowledged durable storage; a node answering FULL (or not answering) is replaced by the next
 *       closest one, up to {@link PastConfig#maxDiversions()} beyond the k closest (replica diversion).</li>
 *   <li><b>Lookup</b>: routed to the handle; the first node on the path holding a valid copy answers with it and the
 *       replica holders it knows. The reader verifies; a bad or missing copy makes it ask the other holders
 *       directly. Public-key blocks are read from every holder and the newest valid version wins (no rollback,
 *       remembered per node). Holders found missing, stale or bad are re-sent a good copy.</li>
 *   <li><b>Maintenance</b>, periodically and after leaf-set changes: for every block held, the holder sends each
 *       other replica holder a digest (handle, kind, version) of what they should share; the peer answers what it
 *       lacks and gets it pushed. Blocks this node is no longer among the k closest for are offered the same way to
 *       the k holders and deleted only once all k acknowledged them. Expired blocks are collected.</li>
 * </ul>
 *
 * <p>Every block is verified before it is stored (by the store), before it is served, and by the reader; a stored
 * copy that fails verification is logged at WARN, dropped, and re-created from a good replica.
 *
 * <p>Durability: an answer that tells another node this one holds something (STORED, a granted lease, a digest
 * saying nothing is missing) is sent only once the store made it durable. The store decides at once and syncs in
 * groups on its own thread ({@link BlockStore#putAsync}); the node thread goes on with other messages meanwhile and
 * sends the answer when the sync returned. A store that fails to sync makes this node stop answering such requests,
 * as if it had crashed; the askers time out and go elsewhere.
 *
 * <p>All state is touched only on the node's logical thread; the public methods may be called from any thread and
 * hand their work to it through the {@link Scheduler}. Requests carry ids; an answer whose id no request waits for
 * (late, duplicate, or of the wrong type) is ignored ({@link PendingReplies}).
 *
 * <p>This class is the node's face (public API and overlay upcalls); each protocol is its own class, sharing one
 * {@link PastContext}: {@link InsertCoordinator}, {@link LookupCoordinator} (with {@link NewestPublicKey}),
 * {@link LeaseCoordinator}, {@link ReplicaMaintenance} and {@link DigestResponder}, and {@link LocalReplicas} for
 * what this node stores and serves as a holder.
 */
public final class Past implements Application {
    public static final String APPLICATION = "past";
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);

    private final PastContext ctx;
    private final LocalReplicas local;
    private final ReplicaSetFinder finder;
    private final InsertCoordinator inserts;
    private final LookupCoordinator lookups;
    private final LeaseCoordinator leases;
    private final ReplicaMaintenance maintenance;
    private final DigestResponder digests;

    public Past(Overlay overlay, BlockStore store, BlockVerifier verifier, Scheduler scheduler, PastConfig config) {
        this(overlay, store, verifier, scheduler, config, new SecureRandom());
    }

    /**
     * As the other constructor, with the source of request ids: a seeded one in simulations (so that a seed replays),
     * never on a real network, where ids must be unpredictable ({@link PendingReplies}).
     */
    public Past(Overlay overlay, BlockStore store, BlockVerifier verifier, Scheduler scheduler, PastConfig config,
                Random requestIds) {
        Objects.requireNonNull(overlay, "overlay");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(requestIds, "requestIds");
        Endpoint endpoint = overlay.registerApplication(APPLICATION, this);
        this.ctx = new PastContext(endpoint, store, verifier, scheduler, config, overlay.metrics(), requestIds);
        this.local = new LocalReplicas(ctx);
        this.finder = new ReplicaSetFinder(ctx);
        this.inserts = new InsertCoordinator(ctx, finder);
        this.lookups = new LookupCoordinator(ctx, local, finder);
        this.leases = new LeaseCoordinator(ctx, finder);
        this.maintenance = new ReplicaMaintenance(ctx, overlay, local);
        this.digests = new DigestResponder(ctx, local);
        maintenance.start();
    }

    // ================================================================ public API (any thread)

    /** Stores {@code block} on its k replica holders with a lease until {@code leaseExpiry}. */
    public CompletableFuture<InsertResult> insert(Block block, long leaseExpiry) {
        // A block this process built and signed is valid by construction: not checked again here, and remembered so
        // that this node's own replica skips its signature check too (anything received is still checked in full).
        return insert(block.handle(), block.encoded(), leaseExpiry, !ctx.verifier.rememberOwn(block));
    }

    /**
     * Stores the block encoded as {@code encoded} under {@code handle}. It is verified here first: a block that does
     * not verify is REJECTED without a message sent (and would be by every holder anyway).
     */
    public CompletableFuture<InsertResult> insertEncoded(Id handle, byte[] encoded, long leaseExpiry) {
        return insert(handle, encoded.clone(), leaseExpiry, true);
    }

    private CompletableFuture<InsertResult> insert(Id handle, byte[] bytes, long leaseExpiry, boolean verify) {
        CompletableFuture<InsertResult> result = new CompletableFuture<>();
        ctx.onNodeThread(() -> {
            if (!verify) {
                inserts.send(handle, bytes, leaseExpiry, result);
                return;
            }
            ctx.verifyElsewhere(bytes, handle, verification -> {
                if (!verification.isValid()) {
                    result.complete(new InsertResult(InsertResult.Status.REJECTED,
                            PastContext.rejection(verification), List.of()));
                    return;
                }
                inserts.send(handle, bytes, leaseExpiry, result);
            });
        });
        return OperationTimer.insert(ctx.metrics, result);
    }

    /**
     * Reads a block: empty if no holder has a valid copy. Completes exceptionally with {@link PastLookupException}
     * when a public-key block's holders offer only a version older than one this node already returned, or
     * equivocate.
     */
    public CompletableFuture<Optional<Block>> lookup(BlockKey key) {
        CompletableFuture<Optional<Block>> result = new CompletableFuture<>();
        ctx.onNodeThread(() -> lookups.start(new LookupState(ctx, key, result), 0));
        PastArchive archive = ctx.archive;
        if (archive == null) {
            return OperationTimer.lookup(ctx.metrics, result);
        }
        return OperationTimer.lookup(ctx.metrics, result.thenCompose(found -> found.isPresent()
                ? CompletableFuture.completedFuture(found) : fromArchive(archive, key)));
    }

    /**
     * A block no replica holder had, rebuilt by the archive; verified here like any replica a reader receives. A
     * head's version must not be older than one this node read before (no rollback, as for replicas).
     */
    private CompletableFuture<Optional<Block>> fromArchive(PastArchive archive, BlockKey key) {
        return archive.recover(key).thenCompose(rebuilt -> {
            if (rebuilt.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<Block>empty());
            }
            Verification verification = ctx.verifier.verify(rebuilt.get(), key);
            if (!verification.isValid()) {
                LOG.warn("{}: the archive returned a {} that does not verify ({}); ignored", ctx.self, key,
                        verification.detail());
                return CompletableFuture.completedFuture(Optional.<Block>empty());
            }
            LOG.info("{}: {} had no replica left; rebuilt by the archive", ctx.self, key);
            if (verification.block() instanceof PublicKeyBlock head) {
                CompletableFuture<Optional<Block>> admitted = new CompletableFuture<>();
                ctx.onNodeThread(() -> lookups.admitRecovered(head, admitted));
                return admitted;
            }
            return CompletableFuture.completedFuture(Optional.of(verification.block()));
        });
    }

    /**
     * Installs the archive behind PAST's replicas: told of every block (every version of a public-key block)
     * replicated with this node as its root, asked for blocks a lookup found no replica of. Set once, before the node joins.
     */
    public void setArchive(PastArchive archive) {
        ctx.archive = Objects.requireNonNull(archive, "archive");
    }

    /** Extends the lease of the block on every holder; completes with the number of holders that now hold it so. */
    public CompletableFuture<Integer> extendLease(BlockKey key, long newExpiry) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        ctx.onNodeThread(() -> leases.send(key, newExpiry, result, 0));
        return OperationTimer.leaseExtension(ctx.metrics, result);
    }

    /** Runs a maintenance round now (expiry collection, replica check, hand-off), as the periodic timer does. */
    public void maintainNow() {
        ctx.onNodeThread(() -> maintenance.run(true));
    }

    public BlockStore store() {
        return ctx.store;
    }

    /** How this node verifies blocks (an archive checks what it rebuilds with it). */
    public BlockVerifier verifier() {
        return ctx.verifier;
    }

    public NodeHandle localHandle() {
        return ctx.self;
    }

    /** PAST messages this node sent (routed or direct). */
    public long messagesSent() {
        return ctx.counters.messagesSent();
    }

    /** Replicas pushed to holders that lacked them (maintenance and hand-off). */
    public long replicasPushed() {
        return ctx.counters.replicasPushed();
    }

    /** Good copies a reader re-sent to holders found missing, stale or bad. */
    public long readRepairs() {
        return ctx.counters.readRepairs();
    }

    /** Copies found failing verification: stored ones caught before serving, and ones received by a reader. */
    public long badReplicasFound() {
        return ctx.counters.badReplicasFound();
    }

    public long blocksHandedOff() {
        return ctx.counters.blocksHandedOff();
    }

    public long blocksExpired() {
        return ctx.counters.blocksExpired();
    }

    /** Answers no request waited for: late, duplicate, or not the expected type. */
    public long ignoredReplies() {
        return ctx.counters.ignoredReplies();
    }

    /**
     * Lookups and inserts whose root did not answer, or answered what this node's own view of the holders
     * contradicts, and that this node then did with the holders directly.
     */
    public long rootsBypassed() {
        return ctx.counters.rootsBypassed();
    }

    /** "Who are the k closest" discoveries this node sent for handles beyond its leaf set's reach. */
    public long discoveries() {
        return ctx.counters.discoveries();
    }

    /** "Closest" answers refused since the start: another version, or not their answerer's or not about the key. */
    public long closestAnswersRefused() {
        return ctx.counters.closestAnswersRefused();
    }

    /** Lease extensions this node sent straight to the holders because the root did not answer or fell short. */
    public long leasesExtendedDirectly() {
        return ctx.counters.leasesDirect();
    }

    public long maintenanceRounds() {
        return ctx.counters.maintenanceRounds();
    }

    /** Blocks this node let in to store and turned away, by sender share and budget (node thread). */
    public StoreAdmissionFigures admission() {
        return ctx.admission.figures();
    }

    // ================================================================ upcalls (node thread)

    /**
     * Routed messages: the requests that go to a key's root (insert, lookup, lease). Replies and the requests sent
     * to one node come only straight from the node that sent them ({@link #deliverDirect}).
     */
    @Override
    public void deliver(Id key, Message msg) {
        if (msg instanceof InsertRequest request) {
            inserts.coordinate(request);
        } else if (msg instanceof LookupRequest request) {
            lookups.answerAtRoot(request);
        } else if (msg instanceof LeaseRequest request) {
            leases.coordinate(request);
        } else if (msg instanceof ClosestRequest request) {
            finder.answerAtRoot(request);
        } else {
            LOG.warn("{}: unexpected routed PAST message {}, ignored", ctx.self,
                    msg == null ? null : msg.getClass().getName());
        }
    }

    /**
     * Messages sent straight to this node, with the sender the link authenticated: a reply counts only from the node
     * asked, and a request only from the node it names as its sender (whom the answer and any pushed copy go to).
     */
    @Override
    public void deliverDirect(NodeHandle sender, Id localKey, Message msg) {
        if (msg instanceof PastReply reply) {
            ctx.replies.accept(reply, sender);
            return;
        }
        NodeHandle claimed = claimedSender(msg);
        if (claimed == null || !claimed.id().equals(sender.id())) {
            LOG.warn("{}: PAST message {} from {} claims to come from {}, ignored", ctx.self,
                    msg == null ? null : msg.getClass().getSimpleName(), sender, claimed);
            return;
        }
        if (msg instanceof StoreRequest request) {
            local.store(request);
        } else if (msg instanceof FetchRequest request) {
            local.answerFetch(request);
        } else if (msg instanceof LeaseExtend request) {
            leases.extend(request);
        } else if (msg instanceof ReplicaDigest digest) {
            digests.answer(digest);
        } else if (msg instanceof HoldCheck check) {
            local.answerHoldCheck(check);
        } else if (msg instanceof LeaseCheck check) {
            leases.check(check);
        }
    }

    /** The sender a direct request names; null for anything else. */
    private static NodeHandle claimedSender(Message msg) {
        if (msg instanceof StoreRequest request) {
            return request.sender();
        } else if (msg instanceof FetchRequest request) {
            return request.sender();
        } else if (msg instanceof LeaseExtend request) {
            return request.sender();
        } else if (msg instanceof ReplicaDigest digest) {
            return digest.sender();
        } else if (msg instanceof HoldCheck check) {
            return check.sender();
        } else if (msg instanceof LeaseCheck check) {
            return check.sender();
        }
        return null;
    }

    /**
     * A lookup passing a node that holds a valid copy is answered there, without going on to the root; so is a
     * "who are the k closest" request passing a node that knows them.
     */
    @Override
    public boolean forward(RouteMessage msg) {
        return !lookups.answerOnPath(msg) && !finder.answerOnPath(msg);
    }

    @Override
    public void update(NodeHandle handle, boolean joined) {
        maintenance.leafSetChanged();
    }

    @Override
    public String toString() {
        return "Past" + ctx.self;
    }
}

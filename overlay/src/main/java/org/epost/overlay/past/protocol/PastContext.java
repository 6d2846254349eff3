package org.epost.overlay.past.protocol;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Lane;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.Verification;
import org.epost.overlay.past.protocol.messages.PastReply;
import org.epost.overlay.past.store.BlockStore;
import org.epost.overlay.past.store.StoreResult;
import org.epost.overlay.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every PAST protocol of one node shares: the node's endpoint, store, verifier, scheduler and configuration,
 * its counters, and one {@link PendingReplies} (so request ids stay unique across protocols). It also holds the
 * small rules they all follow: every message sent is counted, and nothing is acknowledged before the store made it
 * durable ({@link #whenDurable}). Used only on the node's thread.
 */
final class PastContext {
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);
    static final byte[] NONE = new byte[0];

    final Endpoint endpoint;
    final NodeHandle self;
    final BlockStore store;
    final BlockVerifier verifier;
    final Scheduler scheduler;
    final PastConfig config;
    final MetricSink metrics;
    final PastCounters counters;
    final PendingReplies replies;
    /** Who gets this node's workers and disk for blocks to store: fair shares per sending node. */
    final StoreAdmission admission;
    /** Told of replicated immutable blocks and asked for lost ones; null without one. */
    volatile PastArchive archive;

    PastContext(Endpoint endpoint, BlockStore store, BlockVerifier verifier, Scheduler scheduler, PastConfig config,
                MetricSink metrics, Random requestIds) {
        this.endpoint = endpoint;
        this.self = endpoint.localHandle();
        this.store = store;
        this.verifier = verifier;
        this.scheduler = scheduler;
        this.config = config;
        this.metrics = metrics;
        this.counters = new PastCounters(metrics);
        this.replies = new PendingReplies(scheduler, config.requestTimeoutMillis(), counters, requestIds);
        this.admission = new StoreAdmission(scheduler, metrics, config.storeFairness());
    }

    /** A fresh request id; see {@link PendingReplies}. */
    long nextId() {
        return replies.nextId();
    }

    /** Waits for the answer of the node a request was sent to ({@link PendingReplies}). */
    <R extends PastReply> void expect(long id, Class<R> type, NodeHandle responder, Consumer<? super R> onReply,
                                      Runnable onTimeout) {
        replies.expect(id, type, Objects.requireNonNull(responder, "responder"), onReply, onTimeout);
    }

    /**
     * Waits for the answer to a routed request, from whichever node is the root of its key; {@code onReply} also gets
     * who answered, as its link authenticated it (a name inside the reply is only a claim).
     */
    <R extends PastReply> void expectFromRoot(long id, Class<R> type, BiConsumer<? super R, NodeHandle> onReply,
                                              Runnable onTimeout) {
        replies.expectWithSender(id, type, null, onReply, onTimeout);
    }

    /** A request whose answer changes nothing (a repair or a push nobody waits on): only its id is reserved. */
    void expectNothing(long id, Class<? extends PastReply> type, NodeHandle responder) {
        replies.expect(id, type, responder, reply -> { }, () -> { });
    }

    /** The k closest nodes to {@code handle}, then the diversion candidates, closest first. */
    List<NodeHandle> candidates(Id handle) {
        return endpoint.replicaSet(handle, config.replicas() + config.maxDiversions());
    }

    /**
     * Whether {@link #replicaSet} of {@code handle} is this node's own knowledge of its k closest nodes (the handle
     * lies well within its leaf set's range; on small rings always): then a root's answer can be checked against it,
     * and the holders asked directly when the root fails or lies. Beyond that range only the root knows them.
     */
    boolean knowsHolders(Id handle) {
        return endpoint.knowsClosest(handle, config.replicas());
    }

    /** The k nodes that should hold {@code handle}, as this node's leaf set tells. */
    List<NodeHandle> replicaSet(Id handle) {
        return endpoint.replicaSet(handle, config.replicas());
    }

    void route(Id key, Message message) {
        counters.messageSent();
        endpoint.route(key, message, null);
    }

    /** Routes with {@code firstHop} as the first hop (null: the overlay's choice): one of several paths. */
    void routeVia(Id key, Message message, NodeHandle firstHop) {
        counters.messageSent();
        endpoint.route(key, message, firstHop);
    }

    void send(NodeHandle to, Message message) {
        counters.messageSent();
        endpoint.routeDirect(to, message);
    }

    /** Sends a message of an interactive type as maintenance (a replica pushed by repair): in the bulk lane. */
    void sendBulk(NodeHandle to, Message message) {
        counters.messageSent();
        endpoint.routeDirect(to, message, Lane.BULK);
    }

    void onNodeThread(Runnable task) {
        scheduler.schedule(0, task);
    }

    /**
     * Verifies {@code encoded} as the block {@code handle} off the node thread (the scheduler's {@link
     * org.epost.overlay.time.Offload}: a pool in production, this very task in simulations), then runs {@code then}
     * with the outcome on the node thread: signature checks and block hashes are most of PAST's CPU.
     */
    void verifyElsewhere(byte[] encoded, Id handle, Consumer<Verification> then) {
        scheduler.offload().run(encoded.length, () -> verifier.verify(encoded, handle), then);
    }

    /**
     * {@link #verifyElsewhere}, then {@code store} with the outcome on the node thread; the future returned ends when
     * the store's answer (the future {@code store} returns) does, however it ends: a {@link StoreAdmission} turn.
     */
    CompletableFuture<Void> verifyThenStore(byte[] encoded, Id handle,
                                            Function<Verification, CompletableFuture<StoreResult>> store) {
        CompletableFuture<Void> over = new CompletableFuture<>();
        verifyElsewhere(encoded, handle, verification -> store.apply(verification)
                .whenComplete((result, failure) -> over.complete(null)));
        return over;
    }

    /**
     * Runs {@code then} on the node thread with the store's durable answer: at once if it is already there (a memory
     * store, nothing pending: simulations keep their exact event order), else when the store's sync returns. A store
     * that cannot sync gets no answer sent (logged): nothing unsynced is ever acknowledged.
     */
    <T> void whenDurable(CompletableFuture<T> answer, String what, Consumer<T> then) {
        if (answer.isDone() && !answer.isCompletedExceptionally()) {
            then.accept(answer.join());
            return;
        }
        answer.whenComplete((value, failure) -> onNodeThread(() -> {
            if (failure != null) {
                LOG.error("{}: the store could not make the {} durable; not answered: {}", self, what,
                        failure.getMessage());
            } else {
                then.accept(value);
            }
        }));
    }

    /** The key named on the wire by a handle and a kind code; null for a kind this version does not know. */
    static BlockKey blockKey(Id handle, long kindCode) {
        return BlockKind.fromCode(kindCode).map(kind -> new BlockKey(handle, kind)).orElse(null);
    }

    /**
     * At a holder: extends this node's lease on the block a request names, if it holds it; completes with the lease it
     * then holds the block under, empty when it does not hold it or the kind is unknown.
     */
    CompletableFuture<OptionalLong> extendHeldLease(Id handle, long kindCode, long newExpiry) {
        BlockKey key = blockKey(handle, kindCode);
        return key == null ? CompletableFuture.completedFuture(OptionalLong.empty())
                : store.extendLeaseAsync(key, newExpiry);
    }

    /** The kind an encoding claims ({@link BlockKind#claimedBy}), before it is verified; null if unreadable. */
    static BlockKey kindHint(Id handle, byte[] encoded) {
        return BlockKind.claimedBy(encoded).map(kind -> new BlockKey(handle, kind)).orElse(null);
    }

    /** A status name from the wire; an unknown one counts as a refusal. */
    static StoreResult.Status storeStatusOf(String name) {
        try {
            return StoreResult.Status.valueOf(name);
        } catch (IllegalArgumentException e) {
            return StoreResult.Status.REJECTED;
        }
    }

    /** SHA-256 of {@code bytes}: how a client names the exact encoding it inserted ({@code HoldCheck}). */
    static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static String rejection(Verification verification) {
        return verification.reason().map(Enum::name).orElse("") + ": " + verification.detail();
    }
}

package org.epost.overlay.past.protocol;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.api.RouteMessage;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.NewestReplicaSelector;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.block.RejectionReason;
import org.epost.overlay.past.block.Verification;
import org.epost.overlay.past.protocol.messages.DigestReply;
import org.epost.overlay.past.protocol.messages.FetchReply;
import org.epost.overlay.past.protocol.messages.FetchRequest;
import org.epost.overlay.past.protocol.messages.InsertReply;
import org.epost.overlay.past.protocol.messages.InsertRequest;
import org.epost.overlay.past.protocol.messages.LeaseExtend;
import org.epost.overlay.past.protocol.messages.LeaseExtendReply;
import org.epost.overlay.past.protocol.messages.LeaseReply;
import org.epost.overlay.past.protocol.messages.LeaseRequest;
import org.epost.overlay.past.protocol.messages.LookupReply;
import org.epost.overlay.past.protocol.messages.LookupRequest;
import org.epost.overlay.past.protocol.messages.PastReply;
import org.epost.overlay.past.protocol.messages.ReplicaDigest;
import org.epost.overlay.past.protocol.messages.StoreReply;
import org.epost.overlay.past.protocol.messages.StoreRequest;
import org.epost.overlay.past.store.BlockStore;
import org.epost.overlay.past.store.StoreResult;
import org.epost.overlay.past.store.StoredBlock;
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
 * (late, duplicate, or of the wrong type) is ignored.
 */
public final class Past implements Application {
    public static final String APPLICATION = "past";
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);
    private static final byte[] NONE = new byte[0];
    private static final Id MIN_ID = Id.of(new byte[Id.BYTES]);
    private static final Id MAX_ID = Id.fromBigInteger(BigInteger.ONE.shiftLeft(Id.BITS).subtract(BigInteger.ONE));

    private final Overlay overlay;
    private final Endpoint endpoint;
    private final NodeHandle self;
    private final BlockStore store;
    private final BlockVerifier verifier;
    private final NewestReplicaSelector selector;
    private final Scheduler scheduler;
    private final PastConfig config;

    private final Map<Long, Waiter> waiters = new HashMap<>();
    /** Per public-key handle, the newest version this node's readers accepted: never return an older one. */
    private final Map<Id, Long> highestVersionSeen = new HashMap<>();
    private long nextRequestId = 1;
    private MaintenanceRound round;
    private boolean rerunRequested;
    private boolean updateScheduled;
    private boolean serveUnverified;

    private long messagesSent;
    private long replicasPushed;
    private long readRepairs;
    private long badReplicasFound;
    private long blocksHandedOff;
    private long blocksExpired;
    private long ignoredReplies;
    private long maintenanceRounds;

    public Past(Overlay overlay, BlockStore store, BlockVerifier verifier, Scheduler scheduler, PastConfig config) {
        this.overlay = Objects.requireNonNull(overlay, "overlay");
        this.store = Objects.requireNonNull(store, "store");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.selector = new NewestReplicaSelector(verifier);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.config = Objects.requireNonNull(config, "config");
        this.endpoint = overlay.registerApplication(APPLICATION, this);
        this.self = endpoint.localHandle();
        // A phase derived from the node id: nodes do not all maintain at once, and a simulation stays replayable.
        long phase = 1 + Math.floorMod(self.id().hashCode(), config.maintenanceIntervalMillis());
        scheduler.schedule(phase, this::periodicMaintenance);
    }

    // ================================================================ public API (any thread)

    /** Stores {@code block} on its k replica holders with a lease until {@code leaseExpiry}. */
    public CompletableFuture<InsertResult> insert(Block block, long leaseExpiry) {
        return insertEncoded(block.handle(), block.encoded(), leaseExpiry);
    }

    /**
     * Stores the block encoded as {@code encoded} under {@code handle}. It is verified here first: a block that does
     * not verify is REJECTED without a message sent (and would be by every holder anyway).
     */
    public CompletableFuture<InsertResult> insertEncoded(Id handle, byte[] encoded, long leaseExpiry) {
        byte[] bytes = encoded.clone();
        CompletableFuture<InsertResult> result = new CompletableFuture<>();
        onNodeThread(() -> {
            Verification verification = verifier.verify(bytes, handle);
            if (!verification.isValid()) {
                result.complete(new InsertResult(InsertResult.Status.REJECTED, rejection(verification), List.of()));
                return;
            }
            sendInsert(handle, bytes, leaseExpiry, result, 0);
        });
        return result;
    }

    /**
     * Reads a block: empty if no holder has a valid copy. Completes exceptionally with {@link PastLookupException}
     * when a public-key block's holders offer only a version older than one this node already returned, or
     * equivocate.
     */
    public CompletableFuture<Optional<Block>> lookup(BlockKey key) {
        CompletableFuture<Optional<Block>> result = new CompletableFuture<>();
        onNodeThread(() -> routeLookup(new Lookup(key, result), 0));
        return result;
    }

    /** Extends the lease of the block on every holder; completes with the number of holders that now hold it so. */
    public CompletableFuture<Integer> extendLease(BlockKey key, long newExpiry) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        onNodeThread(() -> sendLease(key, newExpiry, result, 0));
        return result;
    }

    /** Runs a maintenance round now (expiry collection, replica check, hand-off), as the periodic timer does. */
    public void maintainNow() {
        onNodeThread(() -> runMaintenance(true));
    }

    public BlockStore store() {
        return store;
    }

    public NodeHandle localHandle() {
        return self;
    }

    /** PAST messages this node sent (routed or direct). */
    public long messagesSent() {
        return messagesSent;
    }

    /** Replicas pushed to holders that lacked them (maintenance and hand-off). */
    public long replicasPushed() {
        return replicasPushed;
    }

    /** Good copies a reader re-sent to holders found missing, stale or bad. */
    public long readRepairs() {
        return readRepairs;
    }

    /** Copies found failing verification: stored ones caught before serving, and ones received by a reader. */
    public long badReplicasFound() {
        return badReplicasFound;
    }

    public long blocksHandedOff() {
        return blocksHandedOff;
    }

    public long blocksExpired() {
        return blocksExpired;
    }

    /** Answers no request waited for: late, duplicate, or not the expected type. */
    public long ignoredReplies() {
        return ignoredReplies;
    }

    public long maintenanceRounds() {
        return maintenanceRounds;
    }

    /** Tests only: serve stored copies without verifying them, as a faulty or malicious holder would. */
    void serveUnverifiedForTests(boolean value) {
        onNodeThread(() -> serveUnverified = value);
    }

    /** Tests only: route an insert without the local verification, as a malicious client would. */
    CompletableFuture<InsertResult> insertUncheckedForTests(Id handle, byte[] encoded, long leaseExpiry) {
        CompletableFuture<InsertResult> result = new CompletableFuture<>();
        onNodeThread(() -> sendInsert(handle, encoded.clone(), leaseExpiry, result, 0));
        return result;
    }

    // ================================================================ upcalls (node thread)

    @Override
    public void deliver(Id key, Message msg) {
        if (msg instanceof PastReply reply) {
            Waiter waiter = waiters.get(reply.requestId());
            if (waiter == null || !waiter.type.isInstance(reply)) {
                ignoredReplies++;
                return;
            }
            waiters.remove(reply.requestId());
            waiter.timer.cancel();
            waiter.onReply.accept(reply);
        } else if (msg instanceof InsertRequest request) {
            coordinateInsert(request);
        } else if (msg instanceof StoreRequest request) {
            storeReplica(request);
        } else if (msg instanceof LookupRequest request) {
            answerLookup(request);
        } else if (msg instanceof FetchRequest request) {
            BlockKey blockKey = blockKey(request.handle(), request.kind());
            Optional<StoredBlock> held = blockKey == null ? Optional.empty() : servable(blockKey);
            send(request.sender(), new FetchReply(request.requestId(),
                    held.map(StoredBlock::encoded).orElse(NONE), held.map(StoredBlock::leaseExpiry).orElse(0L)));
        } else if (msg instanceof LeaseRequest request) {
            coordinateLease(request);
        } else if (msg instanceof LeaseExtend request) {
            BlockKey blockKey = blockKey(request.handle(), request.kind());
            CompletableFuture<OptionalLong> lease = blockKey == null
                    ? CompletableFuture.completedFuture(OptionalLong.empty())
                    : store.extendLeaseAsync(blockKey, request.newExpiry());
            whenDurable(lease, "lease extension of " + request.handle(), granted ->
                    send(request.sender(), new LeaseExtendReply(request.requestId(), granted.orElse(0L))));
        } else if (msg instanceof ReplicaDigest digest) {
            answerDigest(digest);
        } else {
            LOG.warn("{}: unexpected PAST message {}, ignored", self, msg == null ? null : msg.getClass().getName());
        }
    }

    /** A lookup passing a node that holds a valid copy is answered there, without going on to the root. */
    @Override
    public boolean forward(RouteMessage msg) {
        if (msg.message() instanceof LookupRequest request && !msg.nextHop().equals(self)) {
            BlockKey blockKey = blockKey(request.handle(), request.kind());
            if (blockKey != null && store.contains(blockKey)) {
                Optional<StoredBlock> held = servable(blockKey);
                if (held.isPresent()) {
                    send(request.client(), new LookupReply(request.requestId(), self, held.get().encoded(),
                            held.get().leaseExpiry(), candidates(request.handle())));
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void update(NodeHandle handle, boolean joined) {
        if (!updateScheduled) {
            updateScheduled = true;
            scheduler.schedule(config.updateDelayMillis(), () -> {
                updateScheduled = false;
                runMaintenance(false);
            });
        }
    }

    // ================================================================ insert

    private void sendInsert(Id handle, byte[] bytes, long lease, CompletableFuture<InsertResult> result,
                            int attempt) {
        long id = nextRequestId++;
        expect(id, InsertReply.class, reply -> {
            InsertReply answer = (InsertReply) reply;
            InsertResult.Status status;
            try {
                status = InsertResult.Status.valueOf(answer.status());
            } catch (IllegalArgumentException e) {
                status = InsertResult.Status.REJECTED;
            }
            result.complete(new InsertResult(status, answer.detail(), answer.holders()));
        }, () -> {
            if (attempt < config.retries()) {
                sendInsert(handle, bytes, lease, result, attempt + 1);
            } else {
                result.complete(new InsertResult(InsertResult.Status.TIMEOUT, "no answer from the root", List.of()));
            }
        });
        route(handle, new InsertRequest(id, self, handle, bytes, lease));
    }

    /** At the root: store here, then on the next closest nodes until k acknowledged or the candidates ran out. */
    private void coordinateInsert(InsertRequest request) {
        // The store verifies the block before anything else: a bad one is REJECTED here and goes nowhere.
        InsertCoordination insert = new InsertCoordination(request, candidates(request.handle()));
        whenDurable(store.putAsync(request.handle(), request.block(), request.leaseExpiry()),
                "insert of " + request.handle(), local -> {
                    insert.count(self, local.status(),
                            local.reason().map(Enum::name).orElse("") + " " + local.detail());
                    fillInsert(insert);
                });
    }

    private void fillInsert(InsertCoordination insert) {
        while (!insert.finalStatusKnown() && insert.holders.size() + insert.inFlight < insert.needed
                && insert.next < insert.candidates.size()) {
            NodeHandle candidate = insert.candidates.get(insert.next++);
            if (candidate.equals(self)) {
                continue;
            }
            insert.inFlight++;
            long id = nextRequestId++;
            expect(id, StoreReply.class, reply -> {
                StoreReply answer = (StoreReply) reply;
                insert.inFlight--;
                insert.count(candidate, statusOf(answer.status()), answer.detail());
                fillInsert(insert);
            }, () -> {
                insert.inFlight--;
                insert.timedOut = true;
                fillInsert(insert);
            });
            send(candidate, new StoreRequest(id, self, insert.request.handle(), insert.request.block(),
                    insert.request.leaseExpiry()));
        }
        if (insert.inFlight == 0 && !insert.answered) {
            insert.answered = true;
            InsertResult.Status status = insert.outcome();
            if (status == InsertResult.Status.SUCCESS && insert.holders.size() < config.replicas()) {
                LOG.info("{}: {} stored on only {} nodes: no more live nodes known", self,
                        insert.request.handle(), insert.holders.size());
            }
            send(insert.request.client(), new InsertReply(insert.request.requestId(), status.name(),
                    insert.detail, insert.holders));
        }
    }

    /** A replica holder asked to store a block (insert, repair, maintenance or hand-off). */
    private void storeReplica(StoreRequest request) {
        BlockKey hinted = kindHint(request.handle(), request.block());
        if (hinted != null && store.contains(hinted)) {
            // Audit the copy we hold first: the store keeps a held content-hash copy and only extends its lease,
            // which would leave a corrupted copy in place.
            store.get(hinted).ifPresent(held -> {
                if (!verifier.verify(held.encoded(), hinted).isValid()) {
                    badReplicasFound++;
                    LOG.warn("{}: held copy of {} fails verification; replacing it with the one {} sent", self,
                            hinted, request.sender());
                    store.delete(hinted);
                }
            });
        }
        whenDurable(store.putAsync(request.handle(), request.block(), request.leaseExpiry()),
                "replica of " + request.handle(), result -> send(request.sender(), new StoreReply(request.requestId(),
                        result.status().name(), result.reason().map(Enum::name).orElse("")
                        + (result.detail().isEmpty() ? "" : " " + result.detail()),
                        result.isStored() ? result.leaseExpiry() : 0)));
    }

    // ================================================================ lookup

    private void routeLookup(Lookup lookup, int attempt) {
        long id = nextRequestId++;
        expect(id, LookupReply.class, reply -> onLookupReply(lookup, (LookupReply) reply), () -> {
            if (attempt < config.retries()) {
                routeLookup(lookup, attempt + 1);
            } else {
                lookup.result.complete(Optional.empty());
            }
        });
        route(lookup.key.handle(), new LookupRequest(id, self, lookup.key.handle(), lookup.key.kind().code()));
    }

    /** At the root (no holder on the path answered): our copy if we have a valid one, and the holders. */
    private void answerLookup(LookupRequest request) {
        BlockKey blockKey = blockKey(request.handle(), request.kind());
        Optional<StoredBlock> held = blockKey == null ? Optional.empty() : servable(blockKey);
        send(request.client(), new LookupReply(request.requestId(), self, held.map(StoredBlock::encoded).orElse(NONE),
                held.map(StoredBlock::leaseExpiry).orElse(0L), candidates(request.handle())));
    }

    private void onLookupReply(Lookup lookup, LookupReply reply) {
        List<NodeHandle> replicas = reply.replicas();
        lookup.replicaSet.addAll(replicas.subList(0, Math.min(config.replicas(), replicas.size())));
        lookup.answer(reply.responder(), reply.block(), reply.leaseExpiry());
        if (lookup.good != null) {
            return; // immutable kinds: the first valid copy is the answer
        }
        // First the other replica holders; the diversion candidates beyond them only if none has a copy.
        for (int i = 0; i < replicas.size(); i++) {
            NodeHandle holder = replicas.get(i);
            if (holder.equals(reply.responder())) {
                continue;
            }
            if (i < config.replicas()) {
                fetch(lookup, holder);
            } else {
                lookup.reserve.add(holder);
            }
        }
        concludeIfAnswered(lookup);
    }

    private void fetch(Lookup lookup, NodeHandle holder) {
        lookup.outstanding++;
        long id = nextRequestId++;
        expect(id, FetchReply.class, reply -> {
            FetchReply answer = (FetchReply) reply;
            lookup.outstanding--;
            lookup.answer(holder, answer.block(), answer.leaseExpiry());
            concludeIfAnswered(lookup);
        }, () -> {
            lookup.outstanding--;
            concludeIfAnswered(lookup);
        });
        send(holder, new FetchRequest(id, self, lookup.key.handle(), lookup.key.kind().code()));
    }

    private void concludeIfAnswered(Lookup lookup) {
        if (lookup.outstanding > 0 || lookup.concluded) {
            return;
        }
        if (!lookup.reserve.isEmpty() && !lookup.hasCopy()) {
            List<NodeHandle> reserve = List.copyOf(lookup.reserve);
            lookup.reserve.clear();
            reserve.forEach(holder -> fetch(lookup, holder));
            return;
        }
        lookup.concluded = true;
        if (lookup.key.kind() != BlockKind.PUBLIC_KEY) {
            if (lookup.good == null) {
                lookup.result.complete(Optional.empty());
            } else {
                repairHolders(lookup, lookup.good.encoded(), lookup.goodLease, lookup.badOrMissing);
            }
            return;
        }
        concludePublicKey(lookup);
    }

    private void concludePublicKey(Lookup lookup) {
        List<byte[]> offered = new ArrayList<>();
        lookup.copies.values().forEach(copy -> {
            if (copy.length > 0) {
                offered.add(copy);
            }
        });
        if (offered.isEmpty()) {
            lookup.result.complete(Optional.empty());
            return;
        }
        long seen = highestVersionSeen.getOrDefault(lookup.key.handle(), NewestReplicaSelector.NO_VERSION_SEEN);
        Verification choice = selector.selectNewest(lookup.key.handle(), offered, seen);
        if (!choice.isValid()) {
            RejectionReason reason = choice.reason().orElseThrow();
            if (reason == RejectionReason.STALE_VERSION || reason == RejectionReason.EQUIVOCATION) {
                lookup.result.completeExceptionally(new PastLookupException(reason, choice.detail()));
            } else {
                badReplicasFound += offered.size();
                lookup.result.complete(Optional.empty());
            }
            return;
        }
        PublicKeyBlock newest = (PublicKeyBlock) choice.block();
        highestVersionSeen.merge(lookup.key.handle(), newest.version(), Math::max);
        byte[] newestBytes = newest.encoded();
        long lease = 0;
        Set<NodeHandle> behind = new LinkedHashSet<>();
        for (Map.Entry<NodeHandle, byte[]> copy : lookup.copies.entrySet()) {
            if (Arrays.equals(copy.getValue(), newestBytes)) {
                lease = Math.max(lease, lookup.leases.getOrDefault(copy.getKey(), 0L));
            } else {
                if (copy.getValue().length > 0) {
                    Verification verification = verifier.verify(copy.getValue(), lookup.key);
                    if (verification.isValid()) {
                        LOG.warn("{}: replica of {} from {} is stale (v{} < v{}); skipped", self, lookup.key,
                                copy.getKey(), ((PublicKeyBlock) verification.block()).version(), newest.version());
                    } else {
                        badReplicasFound++;
                        LOG.warn("{}: replica of {} from {} fails verification ({}); skipped", self, lookup.key,
                                copy.getKey(), rejection(verification));
                    }
                }
                behind.add(copy.getKey());
            }
        }
        lookup.result.complete(Optional.of(newest));
        repairHolders(lookup, newestBytes, lease, behind);
    }

    /** Re-sends a good copy to the replica holders that answered without one (or with a bad or stale one). */
    private void repairHolders(Lookup lookup, byte[] good, long lease, Set<NodeHandle> holders) {
        if (lease <= scheduler.now()) {
            return;
        }
        for (NodeHandle holder : holders) {
            if (!lookup.replicaSet.contains(holder)) {
                continue; // a node beyond the k closest (a diversion candidate) need not hold it
            }
            readRepairs++;
            LOG.info("{}: repairing {} on {}", self, lookup.key, holder);
            long id = nextRequestId++;
            expect(id, StoreReply.class, reply -> { }, () -> { });
            send(holder, new StoreRequest(id, self, lookup.key.handle(), good, lease));
        }
    }

    // ================================================================ leases

    private void sendLease(BlockKey key, long newExpiry, CompletableFuture<Integer> result, int attempt) {
        long id = nextRequestId++;
        expect(id, LeaseReply.class, reply -> result.complete((int) ((LeaseReply) reply).holders()), () -> {
            if (attempt < config.retries()) {
                sendLease(key, newExpiry, result, attempt + 1);
            } else {
                result.complete(0);
            }
        });
        route(key.handle(), new LeaseRequest(id, self, key.handle(), key.kind().code(), newExpiry));
    }

    private void coordinateLease(LeaseRequest request) {
        BlockKey key = blockKey(request.handle(), request.kind());
        if (key == null) {
            send(request.client(), new LeaseReply(request.requestId(), 0));
            return;
        }
        int[] holders = {0};
        // The local extension counts as outstanding until its lease is durable; it is started after the others.
        int[] outstanding = {1};
        Runnable finish = () -> {
            if (outstanding[0] == 0) {
                send(request.client(), new LeaseReply(request.requestId(), holders[0]));
            }
        };
        for (NodeHandle holder : candidates(request.handle())) {
            if (holder.equals(self)) {
                continue;
            }
            outstanding[0]++;
            long id = nextRequestId++;
            expect(id, LeaseExtendReply.class, reply -> {
                outstanding[0]--;
                if (((LeaseExtendReply) reply).leaseExpiry() > 0) {
                    holders[0]++;
                }
                finish.run();
            }, () -> {
                outstanding[0]--;
                finish.run();
            });
            send(holder, new LeaseExtend(id, self, request.handle(), request.kind(), request.newExpiry()));
        }
        whenDurable(store.extendLeaseAsync(key, request.newExpiry()), "lease extension of " + request.handle(),
                granted -> {
                    if (granted.isPresent()) {
                        holders[0]++;
                    }
                    outstanding[0]--;
                    finish.run();
                });
    }

    // ================================================================ maintenance

    private void periodicMaintenance() {
        runMaintenance(true);
        scheduler.schedule(config.maintenanceIntervalMillis(), this::periodicMaintenance);
    }

    private void runMaintenance(boolean collectExpired) {
        if (collectExpired) {
            blocksExpired += store.collectExpired().size();
        }
        if (!overlay.isReady()) {
            return;
        }
        if (round != null) {
            rerunRequested = true;
            return;
        }
        maintenanceRounds++;
        MaintenanceRound current = new MaintenanceRound();
        round = current;
        Map<NodeHandle, List<DigestEntry>> perPeer = new LinkedHashMap<>();
        store.forEachInRange(MIN_ID, MAX_ID, key -> {
            List<NodeHandle> holders = endpoint.replicaSet(key.handle(), config.replicas());
            long version = 0;
            if (key.kind() == BlockKind.PUBLIC_KEY) {
                Optional<StoredBlock> held = store.get(key);
                if (held.isEmpty()) {
                    return;
                }
                version = held.get().version();
            }
            List<NodeHandle> others = new ArrayList<>();
            for (NodeHandle holder : holders) {
                if (!holder.equals(self)) {
                    others.add(holder);
                    perPeer.computeIfAbsent(holder, h -> new ArrayList<>()).add(new DigestEntry(key, version));
                }
            }
            if (!holders.contains(self) && !others.isEmpty()) {
                current.handoffs.put(key, new Handoff(others));
            }
        });
        perPeer.forEach((peer, entries) -> {
            for (int from = 0; from < entries.size(); from += config.digestBatch()) {
                sendDigest(current, peer, entries.subList(from, Math.min(entries.size(), from + config.digestBatch())));
            }
        });
        endRoundIfDone(current);
    }

    private void sendDigest(MaintenanceRound current, NodeHandle peer, List<DigestEntry> entries) {
        List<Id> handles = new ArrayList<>(entries.size());
        byte[] kinds = new byte[entries.size()];
        List<Long> versions = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            handles.add(entries.get(i).key.handle());
            kinds[i] = (byte) entries.get(i).key.kind().code();
            versions.add(entries.get(i).version);
        }
        current.outstanding++;
        long id = nextRequestId++;
        expect(id, DigestReply.class, reply -> {
            DigestReply answer = (DigestReply) reply;
            Set<BlockKey> missing = new HashSet<>();
            for (int i = 0; i < answer.missingHandles().size(); i++) {
                BlockKey key = blockKey(answer.missingHandles().get(i), answer.missingKinds()[i]);
                if (key != null) {
                    missing.add(key);
                }
            }
            for (DigestEntry entry : entries) {
                if (missing.contains(entry.key)) {
                    servable(entry.key).ifPresent(held -> push(current, peer, held));
                } else {
                    current.confirm(entry.key, peer);
                }
            }
            current.outstanding--;
            endRoundIfDone(current);
        }, () -> {
            current.outstanding--;
            endRoundIfDone(current);
        });
        send(peer, new ReplicaDigest(id, self, handles, kinds, versions));
    }

    private void push(MaintenanceRound current, NodeHandle peer, StoredBlock held) {
        current.outstanding++;
        replicasPushed++;
        long id = nextRequestId++;
        expect(id, StoreReply.class, reply -> {
            if (StoreResult.Status.STORED.name().equals(((StoreReply) reply).status())) {
                current.confirm(held.key(), peer);
            }
            current.outstanding--;
            endRoundIfDone(current);
        }, () -> {
            current.outstanding--;
            endRoundIfDone(current);
        });
        send(peer, new StoreRequest(id, self, held.key().handle(), held.encoded(), held.leaseExpiry()));
    }

    private void endRoundIfDone(MaintenanceRound current) {
        if (current.outstanding > 0 || round != current) {
            return;
        }
        current.handoffs.forEach((key, handoff) -> {
            if (handoff.confirmed.containsAll(handoff.targets) && store.delete(key)) {
                blocksHandedOff++;
                LOG.debug("{}: handed {} off to {}", self, key, handoff.targets);
            }
        });
        round = null;
        if (rerunRequested) {
            rerunRequested = false;
            scheduler.schedule(0, () -> runMaintenance(false));
        }
    }

    /** A peer lists what it believes we should hold: answer what we lack, send back what we hold newer. */
    private void answerDigest(ReplicaDigest digest) {
        List<Id> missingHandles = new ArrayList<>();
        ByteArrayOutputStream missingKinds = new ByteArrayOutputStream();
        for (int i = 0; i < digest.handles().size(); i++) {
            BlockKey key = blockKey(digest.handles().get(i), digest.kinds()[i]);
            if (key == null) {
                continue;
            }
            boolean missing;
            if (key.kind() == BlockKind.PUBLIC_KEY) {
                Optional<StoredBlock> held = store.get(key);
                long offered = digest.versions().get(i);
                missing = held.isEmpty() || held.get().version() < offered;
                if (held.isPresent() && held.get().version() > offered) {
                    servable(key).ifPresent(newer -> {
                        replicasPushed++;
                        long id = nextRequestId++;
                        expect(id, StoreReply.class, reply -> { }, () -> { });
                        send(digest.sender(), new StoreRequest(id, self, key.handle(), newer.encoded(),
                                newer.leaseExpiry()));
                    });
                }
            } else {
                missing = !store.contains(key);
            }
            if (missing) {
                missingHandles.add(key.handle());
                missingKinds.write(key.kind().code());
            }
        }
        // "Not missing" is a claim to hold: only once what this node holds is durable.
        whenDurable(store.synced(), "digest from " + digest.sender(), synced -> send(digest.sender(),
                new DigestReply(digest.requestId(), missingHandles, missingKinds.toByteArray())));
    }

    // ================================================================ helpers

    /**
     * The stored copy of {@code key} if it verifies. A copy that does not (corrupted on disk, tampered) is logged,
     * deleted and reported missing, so that a reader or a peer's maintenance re-creates it.
     */
    private Optional<StoredBlock> servable(BlockKey key) {
        Optional<StoredBlock> held = store.get(key);
        if (held.isEmpty() || serveUnverified) {
            return held;
        }
        Verification verification = verifier.verify(held.get().encoded(), key);
        if (verification.isValid()) {
            return held;
        }
        badReplicasFound++;
        LOG.warn("{}: stored copy of {} fails verification ({}); dropped, to be repaired from another replica", self,
                key, rejection(verification));
        store.delete(key);
        if (endpoint.replicaSet(key.handle(), config.replicas()).contains(self)) {
            fetchOwnCopy(key);
        }
        return Optional.empty();
    }

    /** After dropping a bad copy we should hold: ask the other replica holders for a good one and store it. */
    private void fetchOwnCopy(BlockKey key) {
        boolean[] done = {false};
        for (NodeHandle holder : endpoint.replicaSet(key.handle(), config.replicas())) {
            if (holder.equals(self)) {
                continue;
            }
            long id = nextRequestId++;
            expect(id, FetchReply.class, reply -> {
                FetchReply answer = (FetchReply) reply;
                if (done[0] || answer.block().length == 0) {
                    return;
                }
                // The store verifies it; a bad copy from this holder is simply refused, another may answer.
                whenDurable(store.putAsync(key.handle(), answer.block(), answer.leaseExpiry()),
                        "re-fetched copy of " + key, result -> {
                            if (result.isStored() && !done[0]) {
                                done[0] = true;
                                LOG.info("{}: re-fetched a good copy of {} from {}", self, key, holder);
                            }
                        });
            }, () -> { });
            send(holder, new FetchRequest(id, self, key.handle(), key.kind().code()));
        }
    }

    /** The k closest nodes to {@code handle}, then the diversion candidates, closest first. */
    private List<NodeHandle> candidates(Id handle) {
        return endpoint.replicaSet(handle, config.replicas() + config.maxDiversions());
    }

    private void route(Id key, Message message) {
        messagesSent++;
        endpoint.route(key, message, null);
    }

    private void send(NodeHandle to, Message message) {
        messagesSent++;
        endpoint.routeDirect(to, message);
    }

    private void expect(long id, Class<? extends PastReply> type, Consumer<PastReply> onReply, Runnable onTimeout) {
        Waiter waiter = new Waiter(type, onReply);
        waiters.put(id, waiter);
        waiter.timer = scheduler.schedule(config.requestTimeoutMillis(), () -> {
            if (waiters.remove(id) != null) {
                onTimeout.run();
            }
        });
    }

    private void onNodeThread(Runnable task) {
        scheduler.schedule(0, task);
    }

    /**
     * Runs {@code then} on the node thread with the store's durable answer: at once if it is already there (a memory
     * store, nothing pending: simulations keep their exact event order), else when the store's sync returns. A store
     * that cannot sync gets no answer sent (logged): nothing unsynced is ever acknowledged.
     */
    private <T> void whenDurable(CompletableFuture<T> answer, String what, Consumer<T> then) {
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

    private static BlockKey blockKey(Id handle, long kindCode) {
        return BlockKind.fromCode(kindCode).map(kind -> new BlockKey(handle, kind)).orElse(null);
    }

    /** The kind an encoding claims (its first array element), before it is verified; null if unreadable. */
    private static BlockKey kindHint(Id handle, byte[] encoded) {
        return encoded.length < 2 ? null : blockKey(handle, encoded[1]);
    }

    private static StoreResult.Status statusOf(String name) {
        try {
            return StoreResult.Status.valueOf(name);
        } catch (IllegalArgumentException e) {
            return StoreResult.Status.REJECTED;
        }
    }

    private static String rejection(Verification verification) {
        return verification.reason().map(Enum::name).orElse("") + ": " + verification.detail();
    }

    // ================================================================ state of requests in progress

    private static final class Waiter {
        final Class<? extends PastReply> type;
        final Consumer<PastReply> onReply;
        Scheduler.Cancellable timer;

        Waiter(Class<? extends PastReply> type, Consumer<PastReply> onReply) {
            this.type = type;
            this.onReply = onReply;
        }
    }

    private final class InsertCoordination {
        final InsertRequest request;
        final List<NodeHandle> candidates;
        final int needed;
        final List<NodeHandle> holders = new ArrayList<>();
        int next;
        int inFlight;
        boolean sawFull;
        boolean timedOut;
        boolean answered;
        InsertResult.Status failure;
        String detail = "";

        InsertCoordination(InsertRequest request, List<NodeHandle> candidates) {
            this.request = request;
            this.candidates = candidates;
            this.needed = Math.min(config.replicas(), candidates.size());
        }

        void count(NodeHandle node, StoreResult.Status status, String why) {
            switch (status) {
                case STORED -> holders.add(node);
                case FULL -> {
                    sawFull = true;
                    LOG.info("{}: {} is full, diverting a replica of {}", self, node, request.handle());
                }
                case STALE -> fail(InsertResult.Status.STALE, node + " holds a newer version");
                default -> fail(InsertResult.Status.REJECTED, node + " refused it: " + why.trim());
            }
        }

        private void fail(InsertResult.Status status, String why) {
            if (failure == null) {
                failure = status;
                detail = why;
            }
        }

        boolean finalStatusKnown() {
            return failure != null;
        }

        InsertResult.Status outcome() {
            if (failure != null) {
                return failure;
            }
            if (holders.size() >= needed) {
                return InsertResult.Status.SUCCESS;
            }
            if (sawFull) {
                detail = "only " + holders.size() + " of " + needed + " nodes had room";
                return InsertResult.Status.FULL;
            }
            detail = "only " + holders.size() + " of " + needed + " holders acknowledged"
                    + (timedOut ? " (timeouts)" : "");
            return InsertResult.Status.TIMEOUT;
        }
    }

    private final class Lookup {
        final BlockKey key;
        final CompletableFuture<Optional<Block>> result;
        final Set<NodeHandle> replicaSet = new LinkedHashSet<>();
        /** Public-key blocks: the bytes each holder sent (empty: none). */
        final Map<NodeHandle, byte[]> copies = new LinkedHashMap<>();
        final Map<NodeHandle, Long> leases = new HashMap<>();
        /** Immutable kinds: holders that sent no copy or a bad one. */
        final Set<NodeHandle> badOrMissing = new LinkedHashSet<>();
        /** Diversion candidates, asked only when no replica holder has a copy. */
        final List<NodeHandle> reserve = new ArrayList<>();
        Block good;
        long goodLease;
        int outstanding;
        boolean concluded;

        Lookup(BlockKey key, CompletableFuture<Optional<Block>> result) {
            this.key = key;
            this.result = result;
        }

        boolean hasCopy() {
            return good != null || copies.values().stream().anyMatch(copy -> copy.length > 0);
        }

        void answer(NodeHandle holder, byte[] copy, long lease) {
            if (key.kind() == BlockKind.PUBLIC_KEY) {
                copies.put(holder, copy);
                leases.put(holder, lease);
                return; // verified together, by the newest-replica selection
            }
            if (copy.length == 0) {
                badOrMissing.add(holder);
                return;
            }
            Verification verification = verifier.verify(copy, key);
            if (!verification.isValid()) {
                badReplicasFound++;
                LOG.warn("{}: replica of {} from {} fails verification ({}); skipped", self, key, holder,
                        rejection(verification));
                badOrMissing.add(holder);
                return;
            }
            goodLease = Math.max(goodLease, lease);
            if (good == null) {
                good = verification.block();
                result.complete(Optional.of(good));
            }
        }
    }

    private record DigestEntry(BlockKey key, long version) {
    }

    private static final class Handoff {
        final List<NodeHandle> targets;
        final Set<NodeHandle> confirmed = new HashSet<>();

        Handoff(List<NodeHandle> targets) {
            this.targets = targets;
        }
    }

    private static final class MaintenanceRound {
        final Map<BlockKey, Handoff> handoffs = new LinkedHashMap<>();
        int outstanding;

        void confirm(BlockKey key, NodeHandle peer) {
            Handoff handoff = handoffs.get(key);
            if (handoff != null) {
                handoff.confirmed.add(peer);
            }
        }
    }

    @Override
    public String toString() {
        return "Past" + self;
    }
}

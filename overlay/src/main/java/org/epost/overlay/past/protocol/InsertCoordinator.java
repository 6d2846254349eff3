package org.epost.overlay.past.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.protocol.messages.InsertReply;
import org.epost.overlay.past.protocol.messages.InsertRequest;
import org.epost.overlay.past.protocol.messages.StoreReply;
import org.epost.overlay.past.protocol.messages.StoreRequest;
import org.epost.overlay.past.store.StoreResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Insert, both ends. The client routes an {@link InsertRequest} to the handle (retried after timeouts). The root
 * stores the block itself, then asks the next closest nodes until k acknowledged durable storage; a node answering
 * FULL (or not answering) is replaced by the next candidate, up to {@link PastConfig#maxDiversions()} beyond the k
 * closest (replica diversion). A STALE or refused answer ends the insert with that status at once. A client that
 * knows the handle's holders itself does the same with them when the root fails it (silent, or an answer its own
 * view contradicts), so one hostile root cannot make inserts fail.
 */
final class InsertCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);

    /** The first wait before an insert a busy root refused is sent again; doubled at each attempt. */
    static final long BUSY_BACKOFF_MILLIS = 1_000;

    private final PastContext ctx;

    InsertCoordinator(PastContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Client side: sends the (already verified) block to its root; {@code result} gets the root's answer. When this
     * node knows the handle's holders itself, it takes that answer only if it is a success naming enough holders it
     * counts among them; a root that does not answer in time, or answers anything else, is bypassed: the block is
     * stored on those holders directly ({@link #storeDirectly}), whose answer is final.
     */
    void send(Id handle, byte[] bytes, long lease, CompletableFuture<InsertResult> result, int attempt) {
        long id = ctx.nextId();
        ctx.expectFromRoot(id, InsertReply.class, (answer, root) -> {
            InsertResult.Status status;
            try {
                status = InsertResult.Status.valueOf(answer.status());
            } catch (IllegalArgumentException e) {
                status = InsertResult.Status.REJECTED;
            }
            if (status == InsertResult.Status.FULL && answer.detail().startsWith(StoreAdmission.BUSY)
                    && attempt < ctx.config.retries()) {
                // the root is busy with other senders' blocks (or this node sent over its share): later, not never
                ctx.scheduler.schedule(BUSY_BACKOFF_MILLIS << attempt,
                        () -> send(handle, bytes, lease, result, attempt + 1));
                return;
            }
            if (!ctx.knowsHolders(handle) || enoughKnownHolders(handle, status, answer.holders())) {
                result.complete(new InsertResult(status, answer.detail(), answer.holders()));
            } else {
                storeDirectly(handle, bytes, lease, result, root + " answered " + status + " (" + answer.detail()
                        + ") naming " + answer.holders());
            }
        }, () -> {
            if (ctx.knowsHolders(handle)) {
                storeDirectly(handle, bytes, lease, result, "no answer from the root");
            } else if (attempt < ctx.config.retries()) {
                send(handle, bytes, lease, result, attempt + 1);
            } else {
                result.complete(new InsertResult(InsertResult.Status.TIMEOUT, "no answer from the root", List.of()));
            }
        });
        ctx.route(handle, new InsertRequest(id, ctx.self, handle, bytes, lease));
    }

    /** A success naming as many distinct holders among this node's own candidates as an insert needs. */
    private boolean enoughKnownHolders(Id handle, InsertResult.Status status, List<NodeHandle> named) {
        if (status != InsertResult.Status.SUCCESS) {
            return false;
        }
        List<NodeHandle> candidates = ctx.candidates(handle);
        long known = named.stream().map(NodeHandle::id).distinct()
                .filter(id -> candidates.stream().anyMatch(candidate -> candidate.id().equals(id))).count();
        return known >= ctx.config.insertQuorum(candidates.size());
    }

    /**
     * Client side, bypassing a root that failed it: the normal {@link StoreRequest} to each of the k closest nodes
     * this node knows (itself included), each acknowledging only once durable; FULL or no answer moves on to the
     * next candidate beyond them (diversion, as at the root); success only with k acknowledgements (or what
     * {@code past.degraded-inserts} allows), else FULL, TIMEOUT, or the first STALE or refusal, as at the root.
     */
    private void storeDirectly(Id handle, byte[] bytes, long lease, CompletableFuture<InsertResult> result,
                               String why) {
        ctx.counters.rootBypassed();
        List<NodeHandle> candidates = ctx.candidates(handle);
        Coordination insert = new Coordination(handle, bytes, lease, candidates,
                ctx.config.insertQuorum(candidates.size()), false, result::complete);
        LOG.warn("{}: insert of {}: {}; storing on the closest nodes this node knows, {}", ctx.self, handle, why,
                candidates);
        if (candidates.size() < insert.needed) {
            result.complete(new InsertResult(InsertResult.Status.TIMEOUT, "only " + candidates.size() + " of the "
                    + insert.needed + " replica holders needed are live", List.of()));
            return;
        }
        fill(insert);
    }

    /** At the root: store here, then on the next closest nodes until k acknowledged or the candidates ran out. */
    void coordinate(InsertRequest request) {
        // The store verifies the block before anything else: a bad one is REJECTED here and goes nowhere.
        List<NodeHandle> candidates = ctx.candidates(request.handle());
        Coordination insert = new Coordination(request.handle(), request.block(), request.leaseExpiry(), candidates,
                ctx.config.insertQuorum(candidates.size()), true, done -> answerClient(request, done));
        if (candidates.size() < insert.needed) {
            // Not even stored here: a lone copy on an isolated node is what this rule exists to prevent.
            LOG.warn("{}: refusing an insert of {}: {} of the {} replica holders needed are known live "
                    + "(past.degraded-inserts is off)", ctx.self, request.handle(), candidates.size(), insert.needed);
            ctx.send(request.client(), new InsertReply(request.requestId(), InsertResult.Status.TIMEOUT.name(),
                    "only " + candidates.size() + " of the " + insert.needed + " replica holders needed are live",
                    List.of()));
            return;
        }
        // the client named in a routed request is who the answer goes to: its share is the one charged
        ctx.admission.admit(request.client().id(), request.block().length, "insert of " + request.handle(),
                () -> ctx.verifyThenStore(request.block(), request.handle(), verification -> {
                    CompletableFuture<StoreResult> durable = ctx.store.putVerifiedAsync(verification,
                            request.leaseExpiry());
                    ctx.whenDurable(durable, "insert of " + request.handle(), local -> {
                        insert.count(local.status(), ctx.self,
                                local.reason().map(Enum::name).orElse("") + " " + local.detail());
                        fill(insert);
                    });
                    return durable;
                }),
                busy -> ctx.send(request.client(), new InsertReply(request.requestId(),
                        InsertResult.Status.FULL.name(), busy, List.of())));
    }

    /** Asks the next candidates until k acknowledged durable storage or none is left, then reports the outcome. */
    private void fill(Coordination insert) {
        while (!insert.finalStatusKnown() && insert.holders.size() + insert.inFlight < insert.needed
                && insert.next < insert.candidates.size()) {
            NodeHandle candidate = insert.candidates.get(insert.next++);
            if (insert.storedHere && candidate.equals(ctx.self)) {
                continue;
            }
            insert.inFlight++;
            long id = ctx.nextId();
            ctx.expect(id, StoreReply.class, candidate, answer -> {
                insert.inFlight--;
                insert.count(PastContext.storeStatusOf(answer.status()), candidate, answer.detail());
                fill(insert);
            }, () -> {
                insert.inFlight--;
                insert.timedOut = true;
                fill(insert);
            });
            ctx.send(candidate, new StoreRequest(id, ctx.self, insert.handle, insert.block, insert.leaseExpiry));
        }
        if (insert.inFlight == 0 && !insert.answered) {
            insert.answered = true;
            InsertResult.Status status = insert.outcome();
            if (status == InsertResult.Status.SUCCESS && insert.holders.size() < ctx.config.replicas()) {
                LOG.info("{}: {} stored on only {} nodes: no more live nodes known", ctx.self, insert.handle,
                        insert.holders.size());
            }
            insert.done.accept(new InsertResult(status, insert.detail, insert.holders));
            PastArchive archive = ctx.archive;
            if (status == InsertResult.Status.SUCCESS && archive != null) {
                // Archived once, by whoever had the k durable replicas written (the root, or a client bypassing it);
                // the block is verified by this node.
                BlockKind.claimedBy(insert.block).ifPresent(kind ->
                        archive.replicated(insert.handle, kind, insert.block, insert.leaseExpiry));
            }
        }
    }

    private void answerClient(InsertRequest request, InsertResult outcome) {
        ctx.send(request.client(), new InsertReply(request.requestId(), outcome.status().name(), outcome.detail(),
                outcome.holders()));
    }

    /**
     * One insert at its root (or at a client bypassing its root): who acknowledged, who is still asked, and the first
     * final failure if any.
     */
    private final class Coordination {
        final Id handle;
        final byte[] block;
        final long leaseExpiry;
        final List<NodeHandle> candidates;
        final int needed;
        /** At the root, which stored the block itself before asking the others. */
        final boolean storedHere;
        final Consumer<InsertResult> done;
        final List<NodeHandle> holders = new ArrayList<>();
        int next;
        int inFlight;
        boolean sawFull;
        boolean timedOut;
        boolean answered;
        InsertResult.Status failure;
        String detail = "";

        Coordination(Id handle, byte[] block, long leaseExpiry, List<NodeHandle> candidates, int needed,
                     boolean storedHere, Consumer<InsertResult> done) {
            this.handle = handle;
            this.block = block;
            this.leaseExpiry = leaseExpiry;
            this.candidates = candidates;
            this.needed = needed;
            this.storedHere = storedHere;
            this.done = done;
        }

        void count(StoreResult.Status status, NodeHandle node, String why) {
            switch (status) {
                case STORED -> holders.add(node);
                case FULL -> {
                    sawFull = true;
                    LOG.info("{}: {} is full, diverting a replica of {}", ctx.self, node, handle);
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
}

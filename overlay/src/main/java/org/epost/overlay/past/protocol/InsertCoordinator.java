package org.epost.overlay.past.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.protocol.messages.HoldCheck;
import org.epost.overlay.past.protocol.messages.HoldConfirm;
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
 * closest (replica diversion). A STALE or refused answer ends the insert with that status at once. The client finds
 * the holders without the root ({@link ReplicaSetFinder}) and takes nothing on the root's word: a success the root
 * claims counts only once k holders confirmed over their own links that they durably hold exactly this block, and a
 * root that is silent or answers anything else is bypassed: the client stores on the holders itself. So one hostile
 * root can neither make inserts fail nor turn a claimed success into a lost block.
 */
final class InsertCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);

    /** The first wait before an insert a busy root refused is sent again; doubled at each attempt. */
    static final long BUSY_BACKOFF_MILLIS = 1_000;

    private final PastContext ctx;
    private final ReplicaSetFinder finder;

    InsertCoordinator(PastContext ctx, ReplicaSetFinder finder) {
        this.ctx = ctx;
        this.finder = finder;
    }

    /**
     * Client side: sends the (already verified) block to its root, and meanwhile finds the handle's holders without
     * the root ({@link ReplicaSetFinder#holders}: its own view near the handle, else asked along several paths).
     * {@code result} never rests on the root's word alone: a success the root claims is confirmed by the holders
     * themselves ({@link #confirm}), and a root that answers anything else or stays silent is bypassed: the block is
     * stored on the holders directly ({@link #storeDirectly}), whose answer is final.
     */
    void send(Id handle, byte[] bytes, long lease, CompletableFuture<InsertResult> result) {
        send(handle, bytes, lease, result, ctx.knowsHolders(handle) ? null : finder.discover(handle), 0);
    }

    /** {@code discovered}: the holders asked along several paths; null when this node knows them itself. */
    private void send(Id handle, byte[] bytes, long lease, CompletableFuture<InsertResult> result,
                      CompletableFuture<List<NodeHandle>> discovered, int attempt) {
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
                        () -> send(handle, bytes, lease, result, discovered, attempt + 1));
                return;
            }
            String claim = root + " answered " + status + " (" + answer.detail() + ") naming " + answer.holders();
            boolean claimsSuccess = status == InsertResult.Status.SUCCESS && !answer.holders().isEmpty();
            holders(handle, discovered).thenAccept(holders -> {
                if (!claimsSuccess) {
                    storeDirectly(handle, bytes, lease, orRetried(handle, bytes, lease, result, attempt), holders,
                            claim);
                } else {
                    confirm(handle, bytes, lease, orRetried(handle, bytes, lease, result, attempt), holders, claim);
                }
            });
        }, () -> holders(handle, discovered).thenAccept(holders -> {
            if (!holders.isEmpty()) {
                storeDirectly(handle, bytes, lease, orRetried(handle, bytes, lease, result, attempt), holders,
                        "no answer from the root");
            } else if (attempt < ctx.config.retries()) {
                send(handle, bytes, lease, result, discovered, attempt + 1);
            } else {
                result.complete(new InsertResult(InsertResult.Status.TIMEOUT, "no answer from the root", List.of()));
            }
        }));
        ctx.route(handle, new InsertRequest(id, ctx.self, handle, bytes, lease));
    }

    /**
     * What one attempt's holders answered, passed on to {@code result} unless it is a TIMEOUT with attempts left: a
     * holder that did not answer is most often a node that just went down and that this node's view (or the
     * discovery) still named; the next attempt sees the ring as it is by then, so a peer stopped a moment before a
     * mail was sent does not turn that mail into a 451.
     */
    private CompletableFuture<InsertResult> orRetried(Id handle, byte[] bytes, long lease,
                                                      CompletableFuture<InsertResult> result, int attempt) {
        CompletableFuture<InsertResult> outcome = new CompletableFuture<>();
        outcome.thenAccept(done -> {
            if (done.status() == InsertResult.Status.TIMEOUT && attempt < ctx.config.retries()) {
                LOG.info("{}: insert of {}: {}; trying again", ctx.self, handle, done.detail());
                send(handle, bytes, lease, result, ctx.knowsHolders(handle) ? null : finder.discover(handle),
                        attempt + 1);
            } else {
                result.complete(done);
            }
        });
        return outcome;
    }

    /** The holders: this node's own view now when it knows them, else the discovered ones. */
    private CompletableFuture<List<NodeHandle>> holders(Id handle, CompletableFuture<List<NodeHandle>> discovered) {
        return discovered != null ? discovered : CompletableFuture.completedFuture(ctx.candidates(handle));
    }

    /**
     * The root claimed success: each of the k closest holders is asked whether it durably holds exactly this block
     * ({@link HoldCheck}, answered over its own link once its lease is durable); one that does not gets the block
     * directly, FULL or silence moves on to the next candidate, as at the root. Success only with k such answers.
     */
    private void confirm(Id handle, byte[] bytes, long lease, CompletableFuture<InsertResult> result,
                         List<NodeHandle> holders, String claim) {
        Coordination insert = new Coordination(handle, bytes, lease, holders,
                ctx.config.insertQuorum(holders.size()), false, result::complete);
        insert.claim = claim;
        if (holders.size() < insert.needed) {
            result.complete(tooFew(holders, insert));
            return;
        }
        // hashing a large block is work for the offload pool, not the node thread
        ctx.scheduler.offload().run(bytes.length, () -> PastContext.sha256(bytes), digest -> {
            insert.digest = digest;
            fill(insert);
        });
    }

    /**
     * Client side, bypassing a root that failed it: the normal {@link StoreRequest} to each of the k closest nodes
     * (itself included if it is one), each acknowledging only once durable; FULL or no answer moves on to the next
     * candidate beyond them (diversion, as at the root); success only with k acknowledgements (or what
     * {@code past.degraded-inserts} allows), else FULL, TIMEOUT, or the first STALE or refusal, as at the root.
     */
    private void storeDirectly(Id handle, byte[] bytes, long lease, CompletableFuture<InsertResult> result,
                               List<NodeHandle> candidates, String why) {
        ctx.counters.rootBypassed();
        Coordination insert = new Coordination(handle, bytes, lease, candidates,
                ctx.config.insertQuorum(candidates.size()), false, result::complete);
        LOG.warn("{}: insert of {}: {}; storing on the closest nodes, {}", ctx.self, handle, why, candidates);
        if (candidates.size() < insert.needed) {
            result.complete(tooFew(candidates, insert));
            return;
        }
        fill(insert);
    }

    private static InsertResult tooFew(List<NodeHandle> candidates, Coordination insert) {
        return new InsertResult(InsertResult.Status.TIMEOUT, "only " + candidates.size() + " of the "
                + insert.needed + " replica holders needed are live", List.of());
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
            if (insert.digest != null) {
                check(insert, candidate);
            } else {
                store(insert, candidate);
            }
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
            if (status == InsertResult.Status.SUCCESS && archive != null
                    && (insert.digest == null || insert.unconfirmed)) {
                // Archived once, by whoever had the k durable replicas written (the root, or a client bypassing it
                // or storing what the root claimed and did not); the block is verified by this node.
                BlockKind.claimedBy(insert.block).ifPresent(kind ->
                        archive.replicated(insert.handle, kind, insert.block, insert.leaseExpiry));
            }
        }
    }

    /** Sends {@code candidate} the block (one in flight, counted in {@code insert.inFlight}). */
    private void store(Coordination insert, NodeHandle candidate) {
        long id = ctx.nextId();
        ctx.expect(id, StoreReply.class, candidate, answer -> {
            insert.inFlight--;
            insert.count(PastContext.storeStatusOf(answer.status()), candidate, answer.detail());
            fill(insert);
        }, () -> {
            insert.inFlight--;
            insert.timedOut = true;
            insert.silent++;
            fill(insert);
        });
        ctx.send(candidate, new StoreRequest(id, ctx.self, insert.handle, insert.block, insert.leaseExpiry));
    }

    /** Asks {@code candidate} whether it holds the block the root claimed stored; if not, sends it the block. */
    private void check(Coordination insert, NodeHandle candidate) {
        long id = ctx.nextId();
        ctx.expect(id, HoldConfirm.class, candidate, answer -> {
            if (answer.leaseExpiry() > 0) {
                insert.inFlight--;
                insert.holders.add(candidate);
                fill(insert);
                return;
            }
            if (!insert.unconfirmed) {
                insert.unconfirmed = true;
                ctx.counters.rootBypassed();
                LOG.warn("{}: insert of {}: {}, but {} does not hold it; storing it there", ctx.self, insert.handle,
                        insert.claim, candidate);
            }
            store(insert, candidate);
        }, () -> {
            insert.inFlight--;
            insert.timedOut = true;
            insert.silent++;
            fill(insert);
        });
        ctx.send(candidate, new HoldCheck(id, ctx.self, insert.handle,
                BlockKind.claimedBy(insert.block).map(kind -> (long) kind.code()).orElse(0L), insert.digest,
                insert.leaseExpiry));
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
        /** Candidates asked that never answered. */
        int silent;
        boolean answered;
        /** At a client confirming a root's success: the SHA-256 of the block each holder must hold; else null. */
        byte[] digest;
        /** What the root claimed, for the log; and whether a holder contradicted it. */
        String claim = "";
        boolean unconfirmed;
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
            // a candidate that stayed silent is not a live node this insert can count on: with degraded inserts on,
            // the quorum is what the live candidates allow (a peer stopped a moment before the insert is still in the
            // views; without this the insert fails until the failure detector drops it); off, it stays k
            if (holders.size() >= Math.min(needed, ctx.config.insertQuorum(candidates.size() - silent))) {
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

package org.epost.overlay.past.protocol;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.protocol.messages.LeaseCheck;
import org.epost.overlay.past.protocol.messages.LeaseExtend;
import org.epost.overlay.past.protocol.messages.LeaseExtendReply;
import org.epost.overlay.past.protocol.messages.LeaseReply;
import org.epost.overlay.past.protocol.messages.LeaseRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease extension, at its three places. The client routes a {@link LeaseRequest} to the handle while it finds the
 * holders (its own view, or along several paths); the root extends its own lease and asks every other candidate
 * holder with a {@link LeaseExtend}, then answers how many now hold the block so. That count is never believed: the
 * client then asks each holder itself, in batches ({@link LeaseChecks}), and counts only those that confirm the new
 * lease over their own link; a holder the root left out extends it on that check. A holder answers only once its
 * new lease is durable.
 */
final class LeaseCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);

    private final PastContext ctx;
    private final ReplicaSetFinder finder;
    private final LeaseChecks checks;

    LeaseCoordinator(PastContext ctx, ReplicaSetFinder finder) {
        this.ctx = ctx;
        this.finder = finder;
        this.checks = new LeaseChecks(ctx);
    }

    /** At a holder: a client's batch of leases to confirm ({@link LeaseChecks#answer}). */
    void check(LeaseCheck check) {
        checks.answer(check);
    }

    /**
     * Client side: {@code result} gets the number of holders that confirmed the new lease themselves, whatever the
     * root counted. The root's answer (or its silence) is awaited first, so that the checks find the holders it
     * extended; the route is tried again only if no holder could be found.
     */
    void send(BlockKey key, long newExpiry, CompletableFuture<Integer> result, int attempt) {
        long id = ctx.nextId();
        CompletableFuture<List<NodeHandle>> holders = finder.holders(key.handle());
        CompletableFuture<RootAnswer> root = new CompletableFuture<>();
        ctx.expectFromRoot(id, LeaseReply.class, (reply, from) -> root.complete(new RootAnswer(from, reply.holders())),
                () -> root.complete(new RootAnswer(null, 0)));
        ctx.route(key.handle(), new LeaseRequest(id, ctx.self, key.handle(), key.kind().code(), newExpiry));
        root.thenAcceptBoth(holders, (said, found) -> confirm(key, newExpiry, said, found, result, attempt));
    }

    /** What the root said: who it was (its link), and how many holders it counted; a null root stayed silent. */
    private record RootAnswer(NodeHandle root, long holders) {
        @Override
        public String toString() {
            return root == null ? "no answer from the root" : root + " counted " + holders + " holders";
        }
    }

    /** Has every holder confirm the lease itself; {@code result} gets how many hold it so. */
    private void confirm(BlockKey key, long newExpiry, RootAnswer said, List<NodeHandle> holders,
                         CompletableFuture<Integer> result, int attempt) {
        if (holders.isEmpty()) {
            if (attempt < ctx.config.retries()) {
                send(key, newExpiry, result, attempt + 1);
            } else {
                result.complete(0);
            }
            return;
        }
        int[] confirmed = {0};
        int[] outstanding = {holders.size()};
        for (NodeHandle holder : holders) {
            checks.confirm(holder, key, newExpiry, lease -> {
                // as far as the holder's store allows (a lease is capped by the block's own limits): held is held
                if (lease > 0) {
                    confirmed[0]++;
                }
                if (--outstanding[0] == 0) {
                    if (said.root() == null || said.holders() < ctx.config.replicas()
                            || confirmed[0] < ctx.config.replicas()) {
                        ctx.counters.rootBypassed();
                        ctx.counters.leaseDirect();
                        LOG.warn("{}: lease of {}: {}; {} of the holders {} confirmed it themselves", ctx.self, key,
                                said, confirmed[0], holders);
                    }
                    result.complete(confirmed[0]);
                }
            });
        }
    }

    /** At the root: extend everywhere, count who acknowledged, answer the client when all answered or timed out. */
    void coordinate(LeaseRequest request) {
        BlockKey key = PastContext.blockKey(request.handle(), request.kind());
        if (key == null) {
            ctx.send(request.client(), new LeaseReply(request.requestId(), 0));
            return;
        }
        int[] holders = {0};
        // The local extension counts as outstanding until its lease is durable; it is started after the others.
        int[] outstanding = {1};
        Runnable finish = () -> {
            if (outstanding[0] == 0) {
                ctx.send(request.client(), new LeaseReply(request.requestId(), holders[0]));
                // The archive's copies follow the lease, once it is known that the block exists.
                PastArchive archive = ctx.archive;
                if (holders[0] > 0 && archive != null) {
                    archive.leaseExtended(request.handle(), key.kind(), request.newExpiry());
                }
            }
        };
        for (NodeHandle holder : ctx.candidates(request.handle())) {
            if (holder.equals(ctx.self)) {
                continue;
            }
            outstanding[0]++;
            long id = ctx.nextId();
            ctx.expect(id, LeaseExtendReply.class, holder, reply -> {
                outstanding[0]--;
                if (reply.leaseExpiry() > 0) {
                    holders[0]++;
                }
                finish.run();
            }, () -> {
                outstanding[0]--;
                finish.run();
            });
            ctx.send(holder, new LeaseExtend(id, ctx.self, request.handle(), request.kind(), request.newExpiry()));
        }
        ctx.whenDurable(ctx.store.extendLeaseAsync(key, request.newExpiry()), "lease extension of " + request.handle(),
                granted -> {
                    if (granted.isPresent()) {
                        holders[0]++;
                    }
                    outstanding[0]--;
                    finish.run();
                });
    }

    /** At a holder: extend our lease if we hold the block; answer the new expiry (0: not held) once durable. */
    void extend(LeaseExtend request) {
        CompletableFuture<OptionalLong> lease = ctx.extendHeldLease(request.handle(), request.kind(),
                request.newExpiry());
        ctx.whenDurable(lease, "lease extension of " + request.handle(), granted ->
                ctx.send(request.sender(), new LeaseExtendReply(request.requestId(), granted.orElse(0L))));
    }
}

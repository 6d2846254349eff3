package org.epost.overlay.past.protocol;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.protocol.messages.LeaseExtend;
import org.epost.overlay.past.protocol.messages.LeaseExtendReply;
import org.epost.overlay.past.protocol.messages.LeaseReply;
import org.epost.overlay.past.protocol.messages.LeaseRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease extension, at its three places. The client routes a {@link LeaseRequest} to the handle; a root that counts
 * fewer than k holders or stays silent is bypassed and the holders asked directly. The root extends its own lease and asks every other candidate holder with a {@link LeaseExtend}, then
 * answers how many now hold the block so. A holder answers only once its new lease is durable.
 */
final class LeaseCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);

    private final PastContext ctx;
    private final ReplicaSetFinder finder;

    LeaseCoordinator(PastContext ctx, ReplicaSetFinder finder) {
        this.ctx = ctx;
        this.finder = finder;
    }

    /**
     * Client side: {@code result} gets the number of holders the root counted if that is k or more. A root that counts
     * fewer or does not answer is bypassed: the holders (this node's own view, or found along several paths) are
     * asked directly ({@link #extendDirectly}); the route is tried again only if none could be found.
     */
    void send(BlockKey key, long newExpiry, CompletableFuture<Integer> result, int attempt) {
        long id = ctx.nextId();
        ctx.expectFromRoot(id, LeaseReply.class, (reply, root) -> {
            if (reply.holders() >= ctx.config.replicas()) {
                result.complete((int) reply.holders());
            } else {
                extendDirectly(key, newExpiry, result, root + " counted " + reply.holders() + " holders", attempt);
            }
        }, () -> extendDirectly(key, newExpiry, result, "no answer from the root", attempt));
        ctx.route(key.handle(), new LeaseRequest(id, ctx.self, key.handle(), key.kind().code(), newExpiry));
    }

    /** Sends the {@link LeaseExtend} to every holder candidate itself; {@code result} gets how many hold it so. */
    private void extendDirectly(BlockKey key, long newExpiry, CompletableFuture<Integer> result, String why,
                                int attempt) {
        finder.holders(key.handle()).thenAccept(holders -> {
            if (holders.isEmpty()) {
                if (attempt < ctx.config.retries()) {
                    send(key, newExpiry, result, attempt + 1);
                } else {
                    result.complete(0);
                }
                return;
            }
            ctx.counters.rootBypassed();
            ctx.counters.leaseDirect();
            LOG.warn("{}: lease of {}: {}; extending it on the holders directly, {}", ctx.self, key, why, holders);
            int[] granted = {0};
            int[] outstanding = {holders.size()};
            Runnable answered = () -> {
                if (--outstanding[0] == 0) {
                    result.complete(granted[0]);
                }
            };
            for (NodeHandle holder : holders) {
                long id = ctx.nextId();
                ctx.expect(id, LeaseExtendReply.class, holder, reply -> {
                    if (reply.leaseExpiry() > 0) {
                        granted[0]++;
                    }
                    answered.run();
                }, answered);
                ctx.send(holder, new LeaseExtend(id, ctx.self, key.handle(), key.kind().code(), newExpiry));
            }
        });
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
        BlockKey blockKey = PastContext.blockKey(request.handle(), request.kind());
        CompletableFuture<OptionalLong> lease = blockKey == null
                ? CompletableFuture.completedFuture(OptionalLong.empty())
                : ctx.store.extendLeaseAsync(blockKey, request.newExpiry());
        ctx.whenDurable(lease, "lease extension of " + request.handle(), granted ->
                ctx.send(request.sender(), new LeaseExtendReply(request.requestId(), granted.orElse(0L))));
    }
}

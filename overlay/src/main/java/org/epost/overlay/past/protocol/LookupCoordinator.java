package org.epost.overlay.past.protocol;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.RouteMessage;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.past.protocol.messages.FetchReply;
import org.epost.overlay.past.protocol.messages.FetchRequest;
import org.epost.overlay.past.protocol.messages.LookupReply;
import org.epost.overlay.past.protocol.messages.LookupRequest;
import org.epost.overlay.past.protocol.messages.StoreReply;
import org.epost.overlay.past.protocol.messages.StoreRequest;
import org.epost.overlay.past.store.StoredBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lookup with read repair. The reader routes a {@link LookupRequest} to the handle; the first node on the path holding
 * a valid copy answers with it and the replica holders it knows (else the root answers, with or without a copy). A
 * bad or missing copy makes the reader fetch from the other holders directly, and the diversion candidates only when
 * no holder has one. The holders are the reader's own k closest whenever the handle lies within its leaf set's
 * range, else the ones found along several paths ({@link ReplicaSetFinder}), never the root's word; so a hostile
 * root can neither hide a block by answering nothing, naming nodes that never got it or staying silent, nor roll a
 * public-key block back. Public-key blocks are read from every holder and the newest valid version wins
 * ({@link NewestPublicKey}). Holders found missing, stale or bad are then re-sent the good copy.
 */
final class LookupCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);

    private final PastContext ctx;
    private final LocalReplicas local;
    private final ReplicaSetFinder finder;
    private final NewestPublicKey newest;

    LookupCoordinator(PastContext ctx, LocalReplicas local, ReplicaSetFinder finder) {
        this.ctx = ctx;
        this.local = local;
        this.finder = finder;
        this.newest = new NewestPublicKey(ctx);
    }

    /** Reader side: a head version the archive rebuilt, checked against the newest this node read (node thread). */
    void admitRecovered(PublicKeyBlock head, CompletableFuture<Optional<Block>> result) {
        newest.admitRecovered(head, result);
    }

    /**
     * Reader side: routes the request to the handle. A reader that cannot tell the holders itself starts finding them
     * along several paths at once for a public-key block (its newest version is read from every holder), and for
     * other kinds only once the root answered without a good copy or stayed silent. When the root does not answer in
     * time, the holders are asked directly; only if none can be found is the route tried again, and the lookup empty
     * once the retries are spent.
     */
    void start(LookupState lookup, int attempt) {
        if (attempt == 0 && lookup.key.kind() == BlockKind.PUBLIC_KEY && !ctx.knowsHolders(lookup.key.handle())) {
            lookup.discovered = finder.discover(lookup.key.handle());
        }
        long id = ctx.nextId();
        ctx.expectFromRoot(id, LookupReply.class, (reply, from) -> onReply(lookup, reply, from), () -> {
            ctx.counters.rootBypassed();
            LOG.warn("{}: no answer to the lookup of {} from its root; asking the holders directly", ctx.self,
                    lookup.key);
            holders(lookup).thenAccept(holders -> {
                if (holders.isEmpty() && attempt < ctx.config.retries()) {
                    start(lookup, attempt + 1);
                } else {
                    askHolders(lookup, null, holdersToAsk(lookup, null, List.of(), holders));
                }
            });
        });
        ctx.route(lookup.key.handle(), new LookupRequest(id, ctx.self, lookup.key.handle(), lookup.key.kind().code()));
    }

    /** The handle's holders: this node's own view when it knows them, else found along several paths (once). */
    private CompletableFuture<List<NodeHandle>> holders(LookupState lookup) {
        if (ctx.knowsHolders(lookup.key.handle())) {
            return CompletableFuture.completedFuture(ctx.candidates(lookup.key.handle()));
        }
        if (lookup.discovered == null) {
            lookup.discovered = finder.discover(lookup.key.handle());
        }
        return lookup.discovered;
    }

    /**
     * On the path: a node holding a valid copy answers there, without the request going on to the root. True if it
     * answered (the request stops here).
     */
    boolean answerOnPath(RouteMessage msg) {
        if (msg.message() instanceof LookupRequest request && !msg.nextHop().equals(ctx.self)) {
            BlockKey blockKey = PastContext.blockKey(request.handle(), request.kind());
            if (blockKey != null && ctx.store.contains(blockKey)) {
                Optional<StoredBlock> held = local.servable(blockKey);
                if (held.isPresent()) {
                    ctx.send(request.client(), new LookupReply(request.requestId(), ctx.self, held.get().encoded(),
                            held.get().leaseExpiry(), ctx.candidates(request.handle())));
                    return true;
                }
            }
        }
        return false;
    }

    /** At the root (no holder on the path answered): our copy if we have a valid one, and the holders. */
    void answerAtRoot(LookupRequest request) {
        local.servable(PastContext.blockKey(request.handle(), request.kind()), held ->
                ctx.send(request.client(), new LookupReply(request.requestId(), ctx.self,
                        held.map(StoredBlock::encoded).orElse(PastContext.NONE),
                        held.map(StoredBlock::leaseExpiry).orElse(0L), ctx.candidates(request.handle()))));
    }

    /** {@code from}: who answered, as its link authenticated it (the responder the reply names is only a claim). */
    private void onReply(LookupState lookup, LookupReply reply, NodeHandle from) {
        if (!reply.responder().id().equals(from.id())) {
            LOG.warn("{}: the answer to the lookup of {} from {} claims to come from {}; taken as {}'s", ctx.self,
                    lookup.key, from, reply.responder(), from);
        }
        lookup.answer(from, reply.block(), reply.leaseExpiry(), () -> {
            if (lookup.good != null) {
                return; // immutable kinds: the first valid copy is the answer
            }
            holders(lookup).thenAccept(holders -> askHolders(lookup, from,
                    holdersToAsk(lookup, from, reply.replicas(), holders)));
        });
    }

    /**
     * Who to ask: the holders this node knows or found ({@code found}); what {@code from} named beyond them is logged
     * and not asked (a hostile root could name nodes that never got the block). Only if none could be found are the
     * named ones asked. The first k are the ones worth repairing.
     */
    private List<NodeHandle> holdersToAsk(LookupState lookup, NodeHandle from, List<NodeHandle> named,
                                          List<NodeHandle> found) {
        List<NodeHandle> holders = found.isEmpty() ? named : found;
        List<NodeHandle> strangers = named.stream().filter(node -> !among(node, holders)).toList();
        if (!strangers.isEmpty()) {
            ctx.counters.rootBypassed();
            LOG.warn("{}: {} names {} as holders of {}, not among the closest nodes; asking those instead",
                    ctx.self, from, strangers, lookup.key);
        }
        lookup.replicaSet.addAll(holders.subList(0, Math.min(ctx.config.replicas(), holders.size())));
        return holders;
    }

    private static boolean among(NodeHandle node, List<NodeHandle> known) {
        return known.stream().anyMatch(holder -> holder.id().equals(node.id()));
    }

    /** After {@code from}'s answer ({@code from} null: none came): the other holders, for a copy or a newer one. */
    private void askHolders(LookupState lookup, NodeHandle from, List<NodeHandle> holders) {
        if (lookup.good != null) {
            return; // immutable kinds: the first valid copy is the answer
        }
        // First the other replica holders; the diversion candidates beyond them only if none has a copy.
        for (int i = 0; i < holders.size(); i++) {
            NodeHandle holder = holders.get(i);
            if (from != null && holder.id().equals(from.id())) {
                continue;
            }
            if (i < ctx.config.replicas()) {
                fetch(lookup, holder);
            } else {
                lookup.reserve.add(holder);
            }
        }
        concludeIfAnswered(lookup);
    }

    private void fetch(LookupState lookup, NodeHandle holder) {
        lookup.outstanding++;
        long id = ctx.nextId();
        ctx.expect(id, FetchReply.class, holder, answer -> lookup.answer(holder, answer.block(), answer.leaseExpiry(),
                () -> {
                    lookup.outstanding--;
                    concludeIfAnswered(lookup);
                }), () -> {
            lookup.outstanding--;
            concludeIfAnswered(lookup);
        });
        ctx.send(holder, new FetchRequest(id, ctx.self, lookup.key.handle(), lookup.key.kind().code()));
    }

    private void concludeIfAnswered(LookupState lookup) {
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
        newest.conclude(lookup).ifPresent(repair -> repairHolders(lookup, repair.newest(), repair.lease(),
                repair.behind()));
    }

    /** Re-sends a good copy to the replica holders that answered without one (or with a bad or stale one). */
    private void repairHolders(LookupState lookup, byte[] good, long lease, Set<NodeHandle> holders) {
        if (lease <= ctx.scheduler.now()) {
            return;
        }
        for (NodeHandle holder : holders) {
            if (!lookup.replicaSet.contains(holder)) {
                continue; // a node beyond the k closest (a diversion candidate) need not hold it
            }
            ctx.counters.readRepair();
            LOG.info("{}: repairing {} on {}", ctx.self, lookup.key, holder);
            long id = ctx.nextId();
            ctx.expectNothing(id, StoreReply.class, holder);
            ctx.send(holder, new StoreRequest(id, ctx.self, lookup.key.handle(), good, lease));
        }
    }
}

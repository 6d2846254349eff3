package org.epost.overlay.past.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.RouteMessage;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.protocol.messages.ClosestReply;
import org.epost.overlay.past.protocol.messages.ClosestRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who holds a handle, without one node's word for it: a node whose leaf set proves it knows the k closest nodes
 * ({@link PastContext#knowsHolders}) answers from its own view; any other node routes a {@link ClosestRequest}
 * along {@link PastConfig#discoveryPaths()} different first hops. On each path the first node that knows the k
 * closest answers (usually a hop before the root), with ids and addresses; the asker merges all answers and the
 * answerers themselves and keeps the closest ids. Node ids are bound to CA-signed certificates, so an answerer can
 * only leave closer nodes out or name farther ones, never make up a closer id; one honest answerer among the paths
 * is enough for the merge to hold the true k closest. An address is only a claim: a link to it is used only if the
 * certificate there proves the id. Both ends live here; used only on the node's thread.
 */
final class ReplicaSetFinder {
    private static final Logger LOG = LoggerFactory.getLogger(Past.class);
    /** The most nodes an answer names: enough for k plus diversions on any sane configuration. */
    static final int MAX_NAMED = 32;

    private final PastContext ctx;

    ReplicaSetFinder(PastContext ctx) {
        this.ctx = ctx;
    }

    /** The k closest nodes and the diversion candidates, closest first: this node's own view if it knows them. */
    CompletableFuture<List<NodeHandle>> holders(Id key) {
        return ctx.knowsHolders(key) ? CompletableFuture.completedFuture(ctx.candidates(key)) : discover(key);
    }

    /**
     * Asks along several paths who the closest nodes to {@code key} are; completes on the node thread with the merged
     * answer (empty only if no path answered within the retries).
     */
    CompletableFuture<List<NodeHandle>> discover(Id key) {
        CompletableFuture<List<NodeHandle>> found = new CompletableFuture<>();
        discover(key, found, 0);
        return found;
    }

    private void discover(Id key, CompletableFuture<List<NodeHandle>> found, int attempt) {
        ctx.counters.discovery();
        int wanted = ctx.config.replicas() + ctx.config.maxDiversions();
        List<NodeHandle> firstHops = new ArrayList<>(ctx.endpoint.firstHops(key, ctx.config.discoveryPaths()));
        if (firstHops.isEmpty()) {
            firstHops.add(null); // the overlay's own choice
        }
        Merge merge = new Merge(key, wanted, firstHops.size(), closest -> {
            if (closest.isEmpty() && attempt < ctx.config.retries()) {
                discover(key, found, attempt + 1);
            } else {
                found.complete(closest);
            }
        });
        for (NodeHandle firstHop : firstHops) {
            long id = ctx.nextId();
            ctx.expectFromRoot(id, ClosestReply.class, merge::take, merge::timedOut);
            ctx.routeVia(key, new ClosestRequest(id, ctx.self, key, wanted), firstHop);
        }
    }

    /** On the path: a node that knows the key's closest nodes answers and stops the request. True if it did. */
    boolean answerOnPath(RouteMessage msg) {
        if (msg.message() instanceof ClosestRequest request && ctx.knowsHolders(request.key())) {
            answer(request);
            return true;
        }
        return false;
    }

    /** At the root: no node on the path could tell; the root's view is the best left. */
    void answerAtRoot(ClosestRequest request) {
        answer(request);
    }

    private void answer(ClosestRequest request) {
        int count = (int) Math.max(1, Math.min(request.count(), MAX_NAMED));
        ctx.send(request.client(), ClosestReply.of(request.requestId(), ctx.self, request.key(),
                ctx.endpoint.replicaSet(request.key(), count)));
    }

    /** The answers of one discovery, merged by id. */
    private final class Merge {
        private final Id key;
        private final int wanted;
        private final Consumer<List<NodeHandle>> done;
        /** The answerers, at the address their own link proved. */
        private final Map<Id, NodeHandle> proven = new LinkedHashMap<>();
        /** Every id named, with how many answers gave each address for it. */
        private final Map<Id, Map<String, Integer>> votes = new LinkedHashMap<>();
        private int outstanding;

        Merge(Id key, int wanted, int paths, Consumer<List<NodeHandle>> done) {
            this.key = key;
            this.wanted = wanted;
            this.outstanding = paths;
            this.done = done;
        }

        /** {@code from}: the answerer as its link authenticated it, itself a node near the key. */
        void take(ClosestReply reply, NodeHandle from) {
            String fault = reply.version() != ClosestReply.VERSION ? "is of version " + reply.version()
                    : !reply.answerer().id().equals(from.id()) ? "names " + reply.answerer() + " as its answerer"
                    : !reply.key().equals(key) ? "answers about " + reply.key() : null;
            if (fault != null) {
                ctx.counters.closestRefused();
                LOG.warn("{}: an answer to \"closest to {}\" from {} {}; refused", ctx.self, key, from, fault);
                answered(); // its path counts as unanswered
                return;
            }
            proven.put(from.id(), from); // its address is the one its link proved
            List<NodeHandle> named = reply.closest();
            if (named.size() > MAX_NAMED) {
                LOG.warn("{}: {} named {} nodes closest to {}; the first {} taken", ctx.self, from, named.size(),
                        key, MAX_NAMED);
                named = named.subList(0, MAX_NAMED);
            }
            for (NodeHandle node : named) {
                votes.computeIfAbsent(node.id(), id -> new LinkedHashMap<>()).merge(node.address(), 1, Integer::sum);
            }
            answered();
        }

        /** The address most answers gave for {@code id} (the first of a tie), unless its own link proved one. */
        private NodeHandle handleOf(Id id) {
            NodeHandle answerer = proven.get(id);
            if (answerer != null) {
                return answerer;
            }
            Map<String, Integer> addresses = votes.get(id);
            if (addresses.size() > 1) {
                LOG.warn("{}: the answers name {} at different addresses {}; the most named is tried (a link "
                        + "proves the id)", ctx.self, id, addresses);
            }
            String address = addresses.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            return new NodeHandle(id, address);
        }

        void timedOut() {
            answered();
        }

        private void answered() {
            if (--outstanding > 0) {
                return;
            }
            Set<Id> ids = new LinkedHashSet<>(proven.keySet());
            ids.addAll(votes.keySet());
            List<NodeHandle> closest = ids.stream().map(this::handleOf)
                    .sorted(Comparator.<NodeHandle, Id>comparing(NodeHandle::id, key::compareDistances)
                            .thenComparing(NodeHandle::id))
                    .limit(wanted).toList();
            LOG.debug("{}: closest to {} among {} named: {}", ctx.self, key, ids.size(), closest);
            done.accept(closest);
        }
    }
}

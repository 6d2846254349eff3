package org.epost.overlay.pastry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Lane;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.pastry.messages.Announce;
import org.epost.overlay.pastry.messages.DirectMessage;
import org.epost.overlay.pastry.messages.HopAck;
import org.epost.overlay.pastry.messages.JoinReply;
import org.epost.overlay.pastry.messages.JoinRequest;
import org.epost.overlay.pastry.messages.LeafSetLookup;
import org.epost.overlay.pastry.messages.LeafSetLookupReply;
import org.epost.overlay.pastry.messages.LeafSetReply;
import org.epost.overlay.pastry.messages.LeafSetRequest;
import org.epost.overlay.pastry.messages.Probe;
import org.epost.overlay.pastry.messages.ProbeReply;
import org.epost.overlay.pastry.messages.RouteHop;
import org.epost.overlay.pastry.messages.RoutedMessage;
import org.epost.overlay.pastry.messages.RoutingRows;
import org.epost.overlay.pastry.messages.RowRequest;
import org.epost.overlay.time.Scheduler;
import org.epost.overlay.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Pastry node: join, routing with per-hop acknowledgements, failure detection and leaf-set / routing-table
 * repair. Driven only by its {@link Transport} and {@link Scheduler}, on one logical thread; it reads no clock of
 * its own and starts no threads, so a simulation replays it exactly.
 */
public final class PastryNode implements Overlay {
    private static final Logger LOG = LoggerFactory.getLogger(PastryNode.class);
    /** The internal "application" a join request is routed as. */
    static final String JOIN = "pastry.join";
    /** The internal "application" a {@link LeafSetLookup} is routed as. */
    static final String LEAF_SET_LOOKUP = "pastry.leaf-set-lookup";
    private static final Predicate<Id> NOBODY = id -> false;

    private enum State { CREATED, JOINING, READY }

    private final PastryConfig config;
    private final Transport transport;
    private final Scheduler scheduler;
    private final Random random;
    private final NodeHandle self;
    private final LeafSet leafSet;
    private final RoutingTable routingTable;
    private final NextHopSelector selector;
    private final FailureDetector detector;
    private final RecentMessages delivered;
    private final GossipVerifier told;
    private final LeafSetGapSearch gapSearch;
    private final PastryMaintenance maintenance;
    private final JoinPathState joinPath = new JoinPathState();
    private final Map<String, PastryEndpoint> applications = new LinkedHashMap<>();
    private final Map<Long, PendingHop> pendingHops = new LinkedHashMap<>();
    /** Messages whose right next hop is suspected, waiting for the probe's verdict. */
    private final Map<Id, List<RoutedMessage>> parked = new LinkedHashMap<>();
    private final List<Runnable> readyListeners = new ArrayList<>();
    private final MetricSink metrics;

    private State state = State.CREATED;
    private NodeHandle bootstrap;
    private Scheduler.Cancellable joinTimer;
    private long nextSequence;
    private long nextHopId;

    public PastryNode(PastryConfig config, Transport transport, Scheduler scheduler, Random random) {
        this(config, transport, scheduler, random, MetricSink.NONE);
    }

    /**
     * As the other constructor, with the sink the node and its applications report to ({@link #metrics()}); the node
     * itself records the hops of every message delivered here ({@code epost.route.hops}).
     */
    public PastryNode(PastryConfig config, Transport transport, Scheduler scheduler, Random random, MetricSink metrics) {
        this.metrics = metrics;
        this.config = config;
        this.transport = transport;
        this.scheduler = scheduler;
        this.random = random;
        this.self = transport.localHandle();
        this.leafSet = new LeafSet(self, config.leafSetSize());
        this.routingTable = new RoutingTable(self.id());
        this.selector = new NextHopSelector(self, leafSet, routingTable);
        this.detector = new FailureDetector(scheduler, config, new DetectorActions(), leafSet::contains);
        this.delivered = new RecentMessages(config.deliveredMemory());
        this.told = new GossipVerifier(transport, scheduler, config.probeTimeoutMillis());
        this.gapSearch = new LeafSetGapSearch(self, leafSet, routingTable, detector::isSuspected, this::routeLookup);
        this.maintenance = new PastryMaintenance(config, transport, random, leafSet, routingTable, detector, told,
            gapSearch, applications.values());
        transport.setListener(new Receiver());
    }

    // ---------------------------------------------------------------- public surface

    /** Joins the ring through {@code bootstrap}, any node already in it; null starts a new ring. */
    public void join(NodeHandle bootstrap) {
        if (state != State.CREATED) {
            throw new IllegalStateException("join() may be called once");
        }
        if (bootstrap == null || bootstrap.id().equals(self.id())) {
            joinPath.replied(scheduler.now());
            becomeReady();
            readyOnceVerified();
            return;
        }
        this.state = State.JOINING;
        this.bootstrap = bootstrap;
        sendJoinRequest();
    }

    /** Runs {@code listener} once the node has joined (immediately if it has). */
    public void whenReady(Runnable listener) {
        if (isReady()) {
            listener.run();
        } else {
            readyListeners.add(listener);
        }
    }

    @Override
    public boolean isReady() {
        return state == State.READY && joinPath.verified();
    }

    @Override
    public MetricSink metrics() {
        return metrics;
    }

    @Override
    public NodeHandle localHandle() {
        return self;
    }

    @Override
    public Endpoint registerApplication(String name, Application app) {
        if (JOIN.equals(name) || LEAF_SET_LOOKUP.equals(name) || applications.containsKey(name)) {
            throw new IllegalArgumentException("application name already taken: " + name);
        }
        PastryEndpoint endpoint = new PastryEndpoint(this, name, app);
        applications.put(name, endpoint);
        return endpoint;
    }

    public LeafSet leafSet() {
        return leafSet;
    }

    /** The routing table's entries, row by row (for inspection and tests). */
    public List<NodeHandle> routingTableEntries() {
        return routingTable.entries();
    }

    /** Hops sent and not yet acknowledged (for inspection and tests). */
    public int pendingHopCount() {
        return pendingHops.size();
    }

    List<NodeHandle> replicaSet(Id key, int k) {
        List<NodeHandle> candidates = new ArrayList<>(leafSet.members());
        candidates.removeIf(node -> detector.isSuspected(node.id()));
        candidates.add(self);
        candidates.sort(Comparator.<NodeHandle, Id>comparing(NodeHandle::id, key::compareDistances)
                .thenComparing(NodeHandle::id));
        return List.copyOf(candidates.subList(0, Math.min(k, candidates.size())));
    }

    /** For {@link PastryEndpoint#firstHops}: live routing-table and leaf-set nodes closest to {@code key}. */
    List<NodeHandle> firstHops(Id key, int count) {
        Map<Id, NodeHandle> known = new LinkedHashMap<>();
        routingTable.entries().forEach(node -> known.put(node.id(), node));
        leafSet.members().forEach(node -> known.put(node.id(), node));
        return known.values().stream().filter(node -> !node.id().equals(self.id()))
                .filter(node -> !detector.isSuspected(node.id()))
                .sorted(Comparator.<NodeHandle, Id>comparing(NodeHandle::id, key::compareDistances)
                        .thenComparing(NodeHandle::id))
                .limit(count).toList();
    }

    boolean isResponsibleFor(Id key) {
        return state == State.READY && leafSet.inRange(key)
                && selector.select(key, NOBODY, NOBODY).kind() == NextHop.Kind.DELIVER_HERE;
    }

    void route(String application, Id key, Message msg, NodeHandle hint) {
        if (state != State.READY) {
            LOG.warn("{}: not joined yet, dropping message for {} from {}", self, key, application);
            return;
        }
        routeStep(new RoutedMessage(self, nextSequence++, key, application, msg, 0), 0, hint);
    }

    void routeDirect(String application, NodeHandle to, Message msg, Lane lane) {
        if (to.equals(self)) {
            scheduler.schedule(0, () -> deliverDirect(self, application, msg));
        } else {
            transport.send(to, new DirectMessage(application, msg), lane);
        }
    }

    // ---------------------------------------------------------------- join

    private void sendJoinRequest() {
        transport.send(bootstrap, new JoinRequest(self));
        joinTimer = scheduler.schedule(config.joinTimeoutMillis(), () -> {
            if (state == State.JOINING) {
                LOG.info("{}: no answer to join through {}, asking again", self, bootstrap);
                sendJoinRequest();
            }
        });
    }

    private void acceptJoinRequest(JoinRequest request) {
        if (request.joiner().id().equals(self.id())) {
            LOG.warn("{}: join request from a node with our own id ({}), ignored", self, request.joiner());
            return;
        }
        routeStep(new RoutedMessage(self, nextSequence++, request.joiner().id(), JOIN, request, 0), 0, null);
    }

    /** Sends a joiner the rows of our routing table it shares with us, and ourselves. */
    private void sendRowsTo(NodeHandle joiner) {
        int shared = Math.min(self.id().sharedPrefixLength(joiner.id()), RoutingTable.ROWS - 1);
        List<NodeHandle> entries = new ArrayList<>();
        entries.add(self);
        for (int row = 0; row <= shared; row++) {
            entries.addAll(routingTable.row(row));
        }
        transport.send(joiner, new RoutingRows(entries));
    }

    /**
     * Only the node that answered over its own link is used at once; the leaf set and rows told on the join path are
     * probed like gossip ({@link JoinPathState}) and enter the tables when they answer (the probe announces us).
     */
    private void completeJoin(NodeHandle closest, JoinReply reply) {
        joinTimer.cancel();
        maintenance.heardFrom(closest);
        joinPath.told(closest, reply.leafSet());
        becomeReady();
        List<NodeHandle> toVerify = joinPath.drain();
        toVerify.stream().filter(node -> !node.id().equals(self.id())).forEach(told::offer);
        LOG.debug("{}: join answered by {}, verifying {} nodes told on the way", self, closest, toVerify.size());
        scheduler.schedule(config.probeTimeoutMillis(), this::readyOnceVerified);
        readyOnceVerified();
    }

    /**
     * Ready for applications ({@link #isReady}, {@link #whenReady}) once every node told on the join path answered its
     * probe or the probes timed out, so the leaf set is full when they start; the node routes and answers meanwhile.
     */
    private void readyOnceVerified() {
        if (state == State.READY && !joinPath.verified() && (told.pending() == 0
                || scheduler.now() >= joinPath.repliedAt() + config.probeTimeoutMillis())) {
            joinPath.verified(true);
            leafSet.members().forEach(node -> transport.send(node, new Announce()));
            List<Runnable> listeners = List.copyOf(readyListeners);
            readyListeners.clear();
            listeners.forEach(Runnable::run);
        }
    }

    private void becomeReady() {
        state = State.READY;
        Rounds.every(scheduler, random, config.keepAliveIntervalMillis(), maintenance::keepAliveRound);
        Rounds.every(scheduler, random, config.leafSetGossipIntervalMillis(), maintenance::gossipRound);
        Rounds.every(scheduler, random, config.departedProbeIntervalMillis(), detector::probeDeparted);
    }

    // ---------------------------------------------------------------- routing

    private void routeLookup(Id key, LeafSetLookup lookup, NodeHandle firstHop) {
        routeStep(new RoutedMessage(self, nextSequence++, key, LEAF_SET_LOOKUP, lookup, 0), 0, firstHop);
    }

    private void routeStep(RoutedMessage message, int attempt, NodeHandle hint) {
        if (message.hops() > config.maxHops()) {
            LOG.warn("{}: dropping message for {} after {} hops (routing loop?)", self, message.key(), message.hops());
            return;
        }
        JoinRequest join = message.payload() instanceof JoinRequest request && JOIN.equals(message.application())
                ? request : null;
        Predicate<Id> excluded = join == null ? NOBODY : id -> id.equals(join.joiner().id());
        NextHop hop = hint != null && !hint.id().equals(self.id()) && !detector.isSuspected(hint.id())
                ? NextHop.forward(hint)
                : selector.select(message.key(), excluded, detector::isSuspected);
        if (hop.kind() == NextHop.Kind.AWAIT_PROBE) {
            parked.computeIfAbsent(hop.node().id(), id -> new ArrayList<>()).add(message);
            detector.suspect(hop.node());
            return;
        }
        NodeHandle next = hop.kind() == NextHop.Kind.DELIVER_HERE ? self : hop.node();
        if (join != null) {
            sendRowsTo(join.joiner());
        } else {
            PastryEndpoint endpoint = applications.get(message.application());
            if (endpoint != null) {
                ForwardContext context = new ForwardContext(message, next);
                if (!endpoint.application().forward(context)) {
                    return;
                }
                next = context.nextHop();
            }
        }
        if (next.equals(self)) {
            deliver(message);
        } else {
            sendHop(message, next, attempt);
        }
    }

    private void deliver(RoutedMessage message) {
        if (message.payload() instanceof JoinRequest join && JOIN.equals(message.application())) {
            transport.send(join.joiner(), new JoinReply(leafSet.members()));
            return;
        }
        if (message.payload() instanceof LeafSetLookup lookup && LEAF_SET_LOOKUP.equals(message.application())) {
            if (lookup.asker().id().equals(self.id())) {
                gapSearch.cameBack(lookup);
            } else {
                transport.send(lookup.asker(), new LeafSetLookupReply(lookup.clockwise(), leafSet.members()));
                maintenance.considerCandidates(List.of(lookup.asker())); // it may belong in ours too
            }
            return;
        }
        if (!delivered.firstTime(message.origin().id(), message.sequence())) {
            return;
        }
        PastryEndpoint endpoint = applications.get(message.application());
        if (endpoint == null) {
            LOG.warn("{}: message for unknown application '{}' from {}, dropped", self, message.application(),
                    message.origin());
            return;
        }
        metrics.record("epost.route.hops", message.hops());
        endpoint.application().deliver(message.key(), message.payload());
    }

    /** {@code sender}: the peer of the link the message came over (authenticated), or this node. */
    private void deliverDirect(NodeHandle sender, String application, Message payload) {
        PastryEndpoint endpoint = applications.get(application);
        if (endpoint == null) {
            LOG.warn("{}: direct message for unknown application '{}', dropped", self, application);
            return;
        }
        endpoint.application().deliverDirect(sender, self.id(), payload);
    }

    private void sendHop(RoutedMessage message, NodeHandle next, int attempt) {
        long hopId = nextHopId++;
        PendingHop pending = new PendingHop(message, next, attempt);
        pending.timer = scheduler.schedule(config.hopAckTimeoutMillis(), () -> hopFailed(hopId));
        pendingHops.put(hopId, pending);
        transport.send(next, new RouteHop(hopId, message), Lane.of(message.payload()));
    }

    /** The next hop did not acknowledge: avoid it and route the message again from here. */
    private void hopFailed(long hopId) {
        PendingHop pending = pendingHops.remove(hopId);
        if (pending == null) {
            return;
        }
        pending.timer.cancel();
        detector.suspect(pending.next);
        if (pending.attempt >= config.maxReroutes()) {
            LOG.warn("{}: giving up on message for {} after {} re-routes", self, pending.message.key(),
                    pending.attempt);
            return;
        }
        routeStep(pending.message, pending.attempt + 1, null);
    }

    private void failHopsTo(NodeHandle node) {
        List<Long> failed = new ArrayList<>();
        pendingHops.forEach((hopId, pending) -> {
            if (pending.next.equals(node)) {
                failed.add(hopId);
            }
        });
        failed.forEach(this::hopFailed);
    }

    private void releaseParked(Id id) {
        List<RoutedMessage> waiting = parked.remove(id);
        if (waiting != null) {
            waiting.forEach(message -> routeStep(message, 0, null));
        }
    }

    // ---------------------------------------------------------------- state maintenance (the tables: PastryMaintenance)

    private void nodeDied(NodeHandle node) {
        maintenance.forget(node);
        failHopsTo(node);
        releaseParked(node.id());
        LOG.debug("{}: declared {} dead", self, node);
    }

    /**
     * Forgets at once the nodes {@code revoked} names, as if declared dead: the organization revoked them, so routing
     * stops using them now, not once their links failed (gossip cannot bring them back: entries must answer over their
     * own link). Node thread.
     */
    public void forgetRevoked(Predicate<Id> revoked) {
        Stream.concat(leafSet.members().stream(), routingTable.entries().stream())
            .filter(node -> revoked.test(node.id())).distinct().toList().forEach(this::nodeDied);
    }

    // ---------------------------------------------------------------- wire

    private void receive(NodeHandle from, Object message) {
        if (message instanceof JoinRequest request) {
            // the joiner is not part of the ring yet: do not learn it from this message
            if (state == State.READY) {
                acceptJoinRequest(request);
            }
            return;
        }
        if (state == State.JOINING) {
            if (message instanceof RoutingRows rows) {
                maintenance.offerToRoutingTable(from); // its link proved its (id, address); the rest it only claims
                joinPath.told(from, rows.entries());
            } else if (message instanceof JoinReply reply && !joinPath.replied()) {
                joinPath.replied(scheduler.now()); // the first reply; a second one answers a repeated request
                completeJoin(from, reply);
            }
            return;
        }
        if (state != State.READY) {
            return;
        }
        maintenance.heardFrom(from);
        if (message instanceof RouteHop hop) {
            transport.send(from, new HopAck(hop.hopId()));
            routeStep(hop.routed().withOneMoreHop(), 0, null);
        } else if (message instanceof HopAck ack) {
            PendingHop pending = pendingHops.remove(ack.hopId());
            if (pending != null) {
                pending.timer.cancel();
            }
        } else if (message instanceof Probe) {
            transport.send(from, new ProbeReply());
        } else if (message instanceof ProbeReply) {
            readyOnceVerified(); // heardFrom did the rest
        } else if (message instanceof Announce) {
            if (leafSet.contains(from.id())) {
                transport.send(from, new LeafSetReply(leafSet.members()));
            }
        } else if (message instanceof LeafSetRequest) {
            transport.send(from, new LeafSetReply(leafSet.members()));
        } else if (message instanceof LeafSetReply reply) {
            maintenance.leafSetReported(from, reply.leafSet());
        } else if (message instanceof LeafSetLookupReply reply) {
            gapSearch.answered(reply.clockwise());
            maintenance.considerCandidates(reply.leafSet());
        } else if (message instanceof RowRequest request) {
            if (request.row() < 0 || request.row() >= RoutingTable.ROWS) {
                LOG.warn("{}: row request for row {} from {}, ignored", self, request.row(), from);
            } else {
                transport.send(from, new RoutingRows(routingTable.row(request.row())));
            }
        } else if (message instanceof RoutingRows rows) {
            for (NodeHandle entry : rows.entries()) {
                if (!detector.isDead(entry.id()) && !entry.id().equals(self.id()) && !routingTable.contains(entry.id())) {
                    told.offer(entry); // used once it answers over its own link
                }
            }
        } else if (message instanceof DirectMessage direct) {
            deliverDirect(from, direct.application(), direct.payload());
        } else if (!(message instanceof JoinReply)) {
            LOG.warn("{}: unexpected message {} from {}, ignored", self,
                    message == null ? null : message.getClass().getName(), from);
        }
    }

    private final class Receiver implements Transport.Listener {
        @Override
        public void receive(NodeHandle from, Object wireMessage) {
            PastryNode.this.receive(from, wireMessage);
        }

        @Override
        public void unreachable(NodeHandle peer) {
            if (state == State.READY && !told.unreachable(peer)) {
                detector.suspect(peer);
                failHopsTo(peer);
            }
        }
    }

    private final class DetectorActions implements FailureDetector.Actions {
        @Override
        public void sendProbe(NodeHandle node) {
            transport.send(node, new Probe());
        }

        @Override
        public void declaredDead(NodeHandle node) {
            nodeDied(node);
        }

        @Override
        public void suspicionCleared(NodeHandle node) {
            releaseParked(node.id());
        }
    }

    @Override
    public String toString() {
        return "PastryNode" + self;
    }
}

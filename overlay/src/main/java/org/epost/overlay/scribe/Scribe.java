package org.epost.overlay.scribe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.api.RouteMessage;
import org.epost.overlay.id.Id;
import org.epost.overlay.scribe.messages.ScribeCreate;
import org.epost.overlay.scribe.messages.ScribeData;
import org.epost.overlay.scribe.messages.ScribeHeartbeat;
import org.epost.overlay.scribe.messages.ScribeHeartbeat.ParentBeat;
import org.epost.overlay.scribe.messages.ScribeJoin;
import org.epost.overlay.scribe.messages.ScribeJoinAck;
import org.epost.overlay.scribe.messages.ScribeLeave;
import org.epost.overlay.scribe.messages.ScribePublish;
import org.epost.overlay.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scribe on one node: application-level multicast trees over the overlay (Castro et al., 2002).
 *
 * <ul>
 * <li><b>Root.</b> A group's root is the node responsible for the group id. It is never named: joins and
 * publications are routed to the group id and whoever they are delivered to acts as the root.</li>
 * <li><b>Join.</b> {@link ScribeJoin} is routed toward the group id. Every node on the route intercepts it in
 * {@link #forward}: it takes the joiner as its child (answering {@link ScribeJoinAck}) and, if it was not in the tree
 * yet, joins upward itself. The reverse paths of the joins form the tree.</li>
 * <li><b>Publish.</b> {@link ScribePublish} is routed to the root, which hands it down as {@link ScribeData} from
 * parent to children; each node remembers (source, sequence) and passes on and delivers a publication once.</li>
 * <li><b>Leave.</b> A node without members and children tells its parent {@link ScribeLeave} and forgets the
 * group, so childless forwarders are pruned up the tree.</li>
 * <li><b>Repair.</b> Tree neighbours exchange one {@link ScribeHeartbeat} per interval (per neighbour, covering every
 * shared group). A parent silent for the parent timeout is given up and the node joins again by routing; the route
 * reaches the tree at some live node, or the new root. A child silent for the child timeout is dropped. A root that
 * is no longer responsible for the group id (a closer node joined) joins toward the group id; a node that receives
 * a join or publication routed to the group id becomes the root (dropping any parent it had), so when the root
 * crashes the next closest node takes over as soon as the orphans' joins reach it.</li>
 * <li><b>No cycles.</b> Each node knows its path from the root (carried by acks and heartbeats). A node does not
 * intercept the join of one of its ancestors, and a node that finds itself in its parent's path leaves that parent
 * and joins again.</li>
 * </ul>
 *
 * <p>Threading: the public operations may be called from any thread; they hand their work to the node's thread
 * through the {@link Scheduler} (whose {@code schedule} must accept calls from any thread, as Netty's event loop
 * does). Everything else runs on the node's logical thread; the inspection methods must be called there too.
 */
public final class Scribe implements Application {
    /** The name Scribe registers under on every node. */
    public static final String APPLICATION = "scribe";
    private static final Logger LOG = LoggerFactory.getLogger(Scribe.class);

    private final Overlay overlay;
    private final Endpoint endpoint;
    private final Scheduler scheduler;
    private final ScribeConfig config;
    private final NodeHandle self;
    private final Map<Id, GroupState> groups = new TreeMap<>();
    private final Map<String, Long> counters = new TreeMap<>();
    private long nextSequence;
    private long lastRefusalLogged = Long.MIN_VALUE / 2;

    /** Registers Scribe on {@code overlay}; call on the node's thread, or before the node starts. */
    public Scribe(Overlay overlay, Scheduler scheduler, ScribeConfig config) {
        this.overlay = overlay;
        this.scheduler = scheduler;
        this.config = config;
        this.self = overlay.localHandle();
        this.endpoint = overlay.registerApplication(APPLICATION, this);
        long interval = config.heartbeatIntervalMillis();
        // a phase derived from the id spreads the rounds of different nodes without any randomness
        scheduler.schedule(1 + Math.floorMod(self.id().hashCode(), interval), new Runnable() {
            @Override
            public void run() {
                heartbeatRound();
                scheduler.schedule(interval, this);
            }
        });
    }

    // ---------------------------------------------------------------- public operations (any thread)

    /** Makes the node responsible for {@code group} set it up as root (joining creates the group as well). */
    public void create(Id group) {
        onNodeThread(() -> whenReady(() -> route(group, new ScribeCreate(group))));
    }

    /** {@code client} becomes a member of {@code group} and receives what is published to it from now on. */
    public void join(Id group, ScribeClient client) {
        onNodeThread(() -> {
            GroupState g = groups.get(group);
            boolean fresh = g == null;
            if (fresh) {
                g = newGroup(group);
            }
            g.addClient(client);
            if (fresh) {
                sendJoin(g);
            }
        });
    }

    /** {@code client} stops being a member; the node leaves the tree when nothing keeps it there. */
    public void leave(Id group, ScribeClient client) {
        onNodeThread(() -> {
            GroupState g = groups.get(group);
            if (g != null && g.removeClient(client)) {
                prune(g);
            }
        });
    }

    /** Sends {@code message} to every member of {@code group}. Best effort: lost if the group has no tree. */
    public void publish(Id group, Message message) {
        onNodeThread(() -> {
            long sequence = nextSequence++;
            whenReady(() -> route(group, new ScribePublish(group, self.id(), sequence, message)));
        });
    }

    // ---------------------------------------------------------------- inspection (node thread)

    /** This node's part of {@code group}'s tree, if it is in it. */
    public Optional<GroupView> view(Id group) {
        GroupState g = groups.get(group);
        return g == null ? Optional.empty()
                : Optional.of(new GroupView(group, g.parent(), g.children(), g.path(), g.isMember(), g.isRoot(),
                        g.isJoining()));
    }

    /** The groups this node is in the tree of (as member, forwarder or root). */
    public Set<Id> groups() {
        return Collections.unmodifiableSet(new TreeSet<>(groups.keySet()));
    }

    /**
     * Counts of what this node did: {@code send.<Type>} direct messages, {@code route.<Type>} routes started,
     * {@code hop.<Type>} network hops of routed Scribe messages through this node, and events such as
     * {@code parent-expired}, {@code child-expired}, {@code root-takeover}, {@code duplicate}, {@code publish-dropped}.
     */
    public Map<String, Long> counters() {
        return Collections.unmodifiableMap(new TreeMap<>(counters));
    }

    // ---------------------------------------------------------------- overlay upcalls

    @Override
    public boolean forward(RouteMessage msg) {
        boolean hopAway = !msg.nextHop().equals(self);
        if (hopAway && msg.message() instanceof ScribeJoin join && !join.joiner().equals(self)) {
            GroupState g = groups.get(join.group());
            if (g == null || !g.isOnPath(join.joiner().id())) {
                if (!mayAdopt(g, join.group(), join.joiner())) {
                    return true; // full here: the join goes on toward the root, where it may find room
                }
                adopt(join.group(), join.joiner());
                return false;
            }
            // the joiner is our ancestor: taking it as a child would close a cycle; let it pass
        }
        if (hopAway) {
            count("hop." + msg.message().getClass().getSimpleName());
        }
        return true;
    }

    @Override
    public void deliver(Id key, Message msg) {
        if (msg instanceof ScribeData data) {
            onData(data);
        } else if (msg instanceof ScribeHeartbeat heartbeat) {
            onHeartbeat(heartbeat);
        } else if (msg instanceof ScribeJoin join) {
            onJoinAtRoot(join);
        } else if (msg instanceof ScribeJoinAck ack) {
            onJoinAck(ack);
        } else if (msg instanceof ScribeLeave leave) {
            onLeave(leave);
        } else if (msg instanceof ScribePublish publish) {
            onPublishAtRoot(publish);
        } else if (msg instanceof ScribeCreate create) {
            GroupState g = groups.get(create.group());
            if (g == null && groups.size() >= config.maxGroups()) {
                refuse(create.group(), "a group created from elsewhere", groups.size() + " groups already");
                return;
            }
            takeRoot(g == null ? newGroup(create.group()) : g);
        } else {
            LOG.warn("{}: unexpected Scribe message {}, ignored", self, msg == null ? null : msg.getClass().getName());
        }
    }

    @Override
    public void update(NodeHandle handle, boolean joined) {
        if (joined) {
            checkRoots(); // the newcomer may be closer to some group id than we are
        }
    }

    // ---------------------------------------------------------------- protocol

    private void onJoinAtRoot(ScribeJoin join) {
        GroupState g = groups.get(join.group());
        if (join.joiner().equals(self)) {
            // our own join came back to us: we are the node responsible for the group id
            if (g != null) {
                takeRoot(g);
            }
            return;
        }
        if (!mayAdopt(g, join.group(), join.joiner())) {
            return;
        }
        if (g == null) {
            g = newGroup(join.group());
        }
        takeRoot(g);
        addChild(g, join.joiner());
    }

    /**
     * Whether another node's join may add {@code child} to {@code group} here (a new group, or a new child) within
     * {@link ScribeConfig#maxGroups()} and {@link ScribeConfig#maxChildren()}; a refusal is counted and logged.
     */
    private boolean mayAdopt(GroupState g, Id group, NodeHandle child) {
        if (g == null && groups.size() >= config.maxGroups()) {
            refuse(group, "the join of " + child, groups.size() + " groups already");
            return false;
        }
        if (g != null && !g.hasChild(child) && g.childCount() >= config.maxChildren()) {
            refuse(group, "the join of " + child, g.childCount() + " children already");
            return false;
        }
        return true;
    }

    private void refuse(Id group, String what, String why) {
        count("refused");
        long now = scheduler.now();
        // one line per interval at most: the refusals of a flood would otherwise flood the log
        if (now - lastRefusalLogged >= config.heartbeatIntervalMillis()) {
            lastRefusalLogged = now;
            LOG.warn("{}: refused {} to group {}: {} ({} refusals so far)", self, what, group, why,
                    counters.get("refused"));
        }
    }

    private void onPublishAtRoot(ScribePublish publish) {
        GroupState g = groups.get(publish.group());
        if (g == null) {
            count("publish-dropped");
            LOG.debug("{}: publication to {} reached us as root, but there is no tree; dropped", self,
                    publish.group());
            return;
        }
        takeRoot(g);
        disseminate(g, publish.source(), publish.sequence(), publish.payload(), null);
    }

    private void onJoinAck(ScribeJoinAck ack) {
        GroupState g = groups.get(ack.group());
        long now = scheduler.now();
        if (g == null) {
            send(ack.from(), new ScribeLeave(ack.group(), self)); // left meanwhile
            return;
        }
        if (ack.from().equals(g.parent())) {
            if (g.wouldLoop(ack.path())) {
                loopDetected(g);
            } else if (g.parentHeard(ack.path(), now)) {
                propagatePath(g);
            }
            return;
        }
        if (!g.isJoining() || g.wouldLoop(ack.path())) {
            send(ack.from(), new ScribeLeave(ack.group(), self)); // a late or looping adoption: undo it
            return;
        }
        NodeHandle previous = g.attach(ack.from(), ack.path(), now);
        if (previous != null) {
            send(previous, new ScribeLeave(ack.group(), self));
        }
        propagatePath(g);
    }

    private void onLeave(ScribeLeave leave) {
        GroupState g = groups.get(leave.group());
        if (g == null) {
            return;
        }
        if (g.removeChild(leave.from())) {
            notifyClients(g, (client, group) -> client.childRemoved(group, leave.from()));
            prune(g);
        } else if (leave.from().equals(g.parent())) {
            parentLost(g);
        }
    }

    private void onData(ScribeData data) {
        GroupState g = groups.get(data.group());
        if (g == null) {
            send(data.from(), new ScribeLeave(data.group(), self)); // not ours: prune us from the sender
            return;
        }
        if (data.from().equals(g.parent())) {
            g.parentHeard(scheduler.now());
        }
        disseminate(g, data.source(), data.sequence(), data.payload(), data.from());
    }

    private void onHeartbeat(ScribeHeartbeat heartbeat) {
        long now = scheduler.now();
        NodeHandle from = heartbeat.from();
        for (ParentBeat beat : heartbeat.asParent()) {
            GroupState g = groups.get(beat.group());
            if (g == null || !from.equals(g.parent())) {
                send(from, new ScribeLeave(beat.group(), self)); // it thinks it is our parent; it is not
            } else if (g.wouldLoop(beat.path())) {
                loopDetected(g);
            } else if (g.parentHeard(beat.path(), now)) {
                propagatePath(g);
            }
        }
        for (Id group : heartbeat.asChild()) {
            GroupState g = groups.get(group);
            if (g == null || g.isOnPath(from.id())) {
                send(from, new ScribeLeave(group, self)); // we are not its parent: it must join again
            } else if (!g.refreshChild(from, now)) {
                if (mayAdopt(g, group, from)) {
                    addChild(g, from); // we had given it up too early: take it back
                } else {
                    send(from, new ScribeLeave(group, self)); // full meanwhile: it must join elsewhere
                }
            }
        }
    }

    /** Takes {@code child} into the tree of {@code group} on the join's way to the root. */
    private void adopt(Id group, NodeHandle child) {
        GroupState g = groups.get(group);
        boolean fresh = g == null;
        if (fresh) {
            g = newGroup(group);
        }
        addChild(g, child);
        if (fresh) {
            sendJoin(g); // a new forwarder joins upward
        }
    }

    private void addChild(GroupState g, NodeHandle child) {
        if (g.addChild(child, scheduler.now())) {
            notifyClients(g, (client, group) -> client.childAdded(group, child));
        }
        send(child, new ScribeJoinAck(g.group(), self, g.path()));
    }

    private void disseminate(GroupState g, Id source, long sequence, Message payload, NodeHandle from) {
        if (!g.firstTime(source, sequence)) {
            count("duplicate");
            return;
        }
        for (NodeHandle child : g.children()) {
            if (!child.equals(from)) {
                send(child, new ScribeData(g.group(), self, source, sequence, payload));
            }
        }
        notifyClients(g, (client, group) -> client.deliver(group, payload));
    }

    private void takeRoot(GroupState g) {
        if (g.isRoot()) {
            return;
        }
        NodeHandle previous = g.becomeRoot();
        count("root-takeover");
        LOG.debug("{}: now root of {}", self, g.group());
        if (previous != null) {
            send(previous, new ScribeLeave(g.group(), self));
        }
        propagatePath(g);
    }

    private void parentLost(GroupState g) {
        g.detach();
        if (g.isPrunable()) {
            groups.remove(g.group());
        } else {
            sendJoin(g);
        }
    }

    private void loopDetected(GroupState g) {
        count("loop");
        LOG.debug("{}: found itself on its parent's path in {}, joining again", self, g.group());
        NodeHandle parent = g.parent();
        if (parent != null) {
            send(parent, new ScribeLeave(g.group(), self));
        }
        parentLost(g);
    }

    private void prune(GroupState g) {
        if (!g.isPrunable()) {
            return;
        }
        groups.remove(g.group());
        if (g.parent() != null) {
            send(g.parent(), new ScribeLeave(g.group(), self));
        }
    }

    private void sendJoin(GroupState g) {
        g.startJoining(scheduler.now());
        if (overlay.isReady()) {
            route(g.group(), new ScribeJoin(g.group(), self));
        } // otherwise the heartbeat round sends it again once joinRetry has passed
    }

    /** Tells the children at once that this node's path changed (a new parent, or it became the root). */
    private void propagatePath(GroupState g) {
        for (NodeHandle child : g.children()) {
            send(child, new ScribeHeartbeat(self, List.of(new ParentBeat(g.group(), g.path())), List.of()));
        }
    }

    private void checkRoots() {
        if (!overlay.isReady()) {
            return;
        }
        for (GroupState g : List.copyOf(groups.values())) {
            if (g.isRoot() && !endpoint.isResponsibleFor(g.group())) {
                count("root-handover");
                sendJoin(g);
            }
        }
    }

    private void heartbeatRound() {
        long now = scheduler.now();
        for (GroupState g : List.copyOf(groups.values())) {
            for (NodeHandle child : g.expireChildren(now, config.childTimeoutMillis())) {
                count("child-expired");
                notifyClients(g, (client, group) -> client.childRemoved(group, child));
            }
            if (g.isPrunable()) {
                prune(g);
            } else if (g.parentExpired(now, config.parentTimeoutMillis())) {
                count("parent-expired");
                LOG.debug("{}: parent {} in {} silent, joining again", self, g.parent(), g.group());
                parentLost(g);
            } else if (g.isJoining() && now - g.joinSentAt() >= config.joinRetryMillis()) {
                count("join-retry");
                sendJoin(g);
            }
        }
        checkRoots();
        Map<NodeHandle, List<ParentBeat>> toChildren = new LinkedHashMap<>();
        Map<NodeHandle, List<Id>> toParents = new LinkedHashMap<>();
        for (GroupState g : groups.values()) {
            if (g.parent() != null) {
                toParents.computeIfAbsent(g.parent(), p -> new ArrayList<>()).add(g.group());
            }
            for (NodeHandle child : g.children()) {
                toChildren.computeIfAbsent(child, c -> new ArrayList<>()).add(new ParentBeat(g.group(), g.path()));
            }
        }
        Map<NodeHandle, Boolean> neighbours = new LinkedHashMap<>();
        toChildren.keySet().forEach(n -> neighbours.put(n, true));
        toParents.keySet().forEach(n -> neighbours.put(n, true));
        for (NodeHandle neighbour : neighbours.keySet()) {
            send(neighbour, new ScribeHeartbeat(self, toChildren.getOrDefault(neighbour, List.of()),
                    toParents.getOrDefault(neighbour, List.of())));
        }
    }

    // ---------------------------------------------------------------- plumbing

    private GroupState newGroup(Id group) {
        GroupState g = new GroupState(group, self.id(), config.seenMemory());
        groups.put(group, g);
        return g;
    }

    private void notifyClients(GroupState g, BiConsumer<ScribeClient, Id> upcall) {
        for (ScribeClient client : g.clients()) {
            try {
                upcall.accept(client, g.group());
            } catch (RuntimeException e) {
                LOG.warn("{}: Scribe client {} failed in group {}", self, client, g.group(), e);
            }
        }
    }

    private void onNodeThread(Runnable task) {
        scheduler.schedule(0, task);
    }

    /** Runs {@code task} now if the overlay routes, else retries after joinRetry. */
    private void whenReady(Runnable task) {
        if (overlay.isReady()) {
            task.run();
        } else {
            scheduler.schedule(config.joinRetryMillis(), () -> whenReady(task));
        }
    }

    private void route(Id key, Message msg) {
        count("route." + msg.getClass().getSimpleName());
        endpoint.route(key, msg, null);
    }

    private void send(NodeHandle to, Message msg) {
        count("send." + msg.getClass().getSimpleName());
        endpoint.routeDirect(to, msg);
    }

    private void count(String event) {
        counters.merge(event, 1L, Long::sum);
    }

    @Override
    public String toString() {
        return "Scribe" + self;
    }
}

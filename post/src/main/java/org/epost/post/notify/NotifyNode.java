package org.epost.post.notify;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Endpoint;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.api.Overlay;
import org.epost.overlay.fair.FairGate;
import org.epost.overlay.fair.FairOffload;
import org.epost.overlay.fair.FairLimits;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.id.Id;
import org.epost.overlay.scribe.Scribe;
import org.epost.overlay.scribe.ScribeClient;
import org.epost.overlay.time.Scheduler;

/**
 * This node as the notification roles see it: its handle and its thread, the overlay endpoint and Scribe they talk
 * through, whether the application takes part, and the counters they share. Everything but {@link #onNode()} is for
 * the node thread only.
 *
 * <p>The endpoint exists only once the {@link NotifyDispatcher} is registered, and the dispatcher needs the roles,
 * which need this: hence {@link #connect}, called once by {@link NotificationService}'s constructor before anything
 * can be sent (nothing runs on the node thread until that constructor returns).
 */
final class NotifyNode {
    private final Overlay overlay;
    private final Scribe scribe;
    private final Scheduler scheduler;
    private final NodeHandle self;
    private final Executor onNode;
    private final Counters counters;
    private Endpoint endpoint;
    private Application dispatcher;
    private ScribeClient presenceUpcalls;
    private boolean running = true;
    /** The offload shared out per sending node: one node's flood of boxes waits behind itself (issue #15). */
    private final FairOffload shares;
    private final FairLimits fairness;

    NotifyNode(Overlay overlay, Scribe scribe, Scheduler scheduler, FairLimits fairness) {
        this.overlay = overlay;
        this.scribe = scribe;
        this.scheduler = scheduler;
        this.self = overlay.localHandle();
        this.counters = new Counters(overlay.metrics());
        // hops to the node thread after the current task; the roles continue their lookups there
        this.onNode = task -> scheduler.schedule(0, task);
        this.fairness = fairness;
        this.shares = new FairOffload(scheduler::offload, fairness.newQueue(), fairness.inFlight());
    }

    void connect(Endpoint endpoint, Application dispatcher, ScribeClient presenceUpcalls) {
        if (this.endpoint != null) {
            throw new IllegalStateException("connected already");
        }
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.presenceUpcalls = Objects.requireNonNull(presenceUpcalls, "presenceUpcalls");
    }

    NodeHandle self() {
        return self;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** Runs a task on the node thread; any thread may call it. */
    Executor onNode() {
        return onNode;
    }

    /** About what a signing or checking task without a box holds (a notification, a receipt): the pool's bound. */
    static final int SMALL_WORK_BYTES = 4096;

    /**
     * Runs pure CPU-heavy work (signing, sealing, opening, verifying) off the node thread, then {@code then} with its
     * result on it ({@link org.epost.overlay.time.Offload}: in the same task in simulations). Node thread only.
     */
    <T> void offload(int bytes, Supplier<T> work, Consumer<? super T> then) {
        scheduler.offload().run(bytes, work, then);
    }

    /**
     * {@link #offload}, for work done because {@code sender} asked (a box it delivered): it waits for its sender's
     * turn among the senders with work waiting. False if the sender has its share waiting: nothing runs, and the
     * caller drops the message as a busy node would (the sender or the delegates try again later).
     */
    <T> boolean offloadFor(Id sender, int bytes, Supplier<T> work, Consumer<? super T> then) {
        return shares.run(sender, bytes, work, then).isEmpty();
    }

    /** The limits of what other nodes make this one do (boxes opened per turn, delegations per minute). */
    FairLimits fairness() {
        return fairness;
    }

    /** The fair offload's figures. */
    FairGate shares() {
        return shares.gate();
    }

    /** Whether the node has joined the ring and routes messages. */
    boolean isReady() {
        return overlay.isReady();
    }

    /** False while {@link NotificationService#stop() stopped}: the roles then act as if the application were absent. */
    boolean running() {
        return running;
    }

    void setRunning(boolean value) {
        running = value;
    }

    void count(String name) {
        counters.count(name);
    }

    MetricSink metrics() {
        return overlay.metrics();
    }

    /**
     * Times a step of one notification's way, as the timer {@code epost.notify.<step>}: the milliseconds from
     * {@code since} (the scheduler's time when the notification's send began or it arrived here) until now.
     */
    void timeSince(String step, long since) {
        overlay.metrics().time("epost.notify." + step, TimeUnit.MILLISECONDS.toNanos(scheduler.now() - since));
    }

    Counters counters() {
        return counters;
    }

    /**
     * Sends {@code message} straight to {@code to}. A message to this node itself does not go through the overlay:
     * it reaches the dispatcher on a later task of the node thread, as one from another node would.
     */
    void sendTo(NodeHandle to, Message message) {
        if (to.equals(self)) {
            scheduler.schedule(0, () -> dispatcher.deliverDirect(self, self.id(), message));
        } else {
            endpoint.routeDirect(to, message);
        }
    }

    void routeDirect(NodeHandle to, Message message) {
        endpoint.routeDirect(to, message);
    }

    /** Routes {@code message} to the node responsible for {@code key}. */
    void route(Id key, Message message) {
        endpoint.route(key, message, null);
    }

    /** The (at most) k live nodes closest to {@code key} this node knows of, closest first. */
    List<NodeHandle> replicaSet(Id key, int k) {
        return endpoint.replicaSet(key, k);
    }

    void joinPresence(Id group) {
        scribe.join(group, presenceUpcalls);
    }

    void leavePresence(Id group) {
        scribe.leave(group, presenceUpcalls);
    }

    void publishPresence(Id group, Message presence) {
        scribe.publish(group, presence);
    }
}

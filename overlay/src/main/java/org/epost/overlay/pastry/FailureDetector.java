package org.epost.overlay.pastry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.time.Scheduler;

/**
 * Who is alive, as far as one node can tell. Any message from a node proves it alive. A node is checked with
 * probes; one unanswered probe makes it <em>suspected</em> (routing avoids it), and only after all retries fail is
 * it declared dead and remembered as a tombstone for a while, so that hearsay does not bring it back.
 */
public final class FailureDetector {

    /** What the detector needs from its node. */
    public interface Actions {
        void sendProbe(NodeHandle node);

        /** All probes to {@code node} went unanswered. */
        void declaredDead(NodeHandle node);

        /** A node that was suspected turned out to be alive. */
        void suspicionCleared(NodeHandle node);
    }

    private final Scheduler scheduler;
    private final PastryConfig config;
    private final Actions actions;
    /** Which nodes' last-heard times are worth keeping (the leaf set): bounds memory in large rings. */
    private final Predicate<Id> tracked;
    private final Map<Id, Long> lastHeard = new HashMap<>();
    private final Map<Id, Check> checks = new LinkedHashMap<>();
    private final Map<Id, Tombstone> tombstones = new LinkedHashMap<>();

    public FailureDetector(Scheduler scheduler, PastryConfig config, Actions actions, Predicate<Id> tracked) {
        this.scheduler = scheduler;
        this.config = config;
        this.actions = actions;
        this.tracked = tracked;
    }

    /** A message from {@code node} arrived. */
    public void heardFrom(NodeHandle node) {
        Id id = node.id();
        if (tracked.test(id)) {
            lastHeard.put(id, scheduler.now());
        }
        tombstones.remove(id);
        Check check = checks.remove(id);
        if (check != null) {
            check.timer.cancel();
            if (check.suspected) {
                actions.suspicionCleared(node);
            }
        }
    }

    /** Whether {@code id} was heard from within the last {@code millis}. */
    public boolean heardWithin(Id id, long millis) {
        Long at = lastHeard.get(id);
        return at != null && scheduler.now() - at < millis;
    }

    /** Probes {@code node} (keep-alive, or a candidate we were told about) without suspecting it yet. */
    public void check(NodeHandle node) {
        if (!checks.containsKey(node.id())) {
            startCheck(node, false);
        }
    }

    /** {@code node} failed to acknowledge something: avoid it and probe it. */
    public void suspect(NodeHandle node) {
        Check check = checks.get(node.id());
        if (check == null) {
            startCheck(node, true);
        } else {
            check.suspected = true;
        }
    }

    public boolean isSuspected(Id id) {
        Check check = checks.get(id);
        return check != null && check.suspected;
    }

    public boolean isChecking(Id id) {
        return checks.containsKey(id);
    }

    /** Whether {@code id} was declared dead (and has not been heard from since). */
    public boolean isDead(Id id) {
        return tombstones.containsKey(id);
    }

    /** Drops last-heard times of nodes no longer tracked. */
    public void pruneLastHeard() {
        lastHeard.keySet().removeIf(id -> !tracked.test(id));
    }

    /**
     * Probes every node declared dead less than the tombstone time ago (a healed partition brings them back
     * through {@link #heardFrom}); older tombstones are dropped.
     */
    public void probeDeparted() {
        long now = scheduler.now();
        List<NodeHandle> toProbe = new ArrayList<>();
        for (Iterator<Tombstone> it = tombstones.values().iterator(); it.hasNext(); ) {
            Tombstone tombstone = it.next();
            if (now - tombstone.since >= config.tombstoneMillis()) {
                it.remove();
            } else {
                toProbe.add(tombstone.node);
            }
        }
        toProbe.forEach(actions::sendProbe);
    }

    private void startCheck(NodeHandle node, boolean suspected) {
        Check check = new Check(node, suspected);
        checks.put(node.id(), check);
        attempt(check);
    }

    private void attempt(Check check) {
        actions.sendProbe(check.node);
        check.timer = scheduler.schedule(config.probeTimeoutMillis(), () -> onProbeTimeout(check));
    }

    private void onProbeTimeout(Check check) {
        if (checks.get(check.node.id()) != check) {
            return; // answered or superseded meanwhile
        }
        check.suspected = true;
        if (check.attemptsLeft-- > 0) {
            attempt(check);
            return;
        }
        checks.remove(check.node.id());
        lastHeard.remove(check.node.id());
        tombstones.put(check.node.id(), new Tombstone(check.node, scheduler.now()));
        actions.declaredDead(check.node);
    }

    private final class Check {
        final NodeHandle node;
        boolean suspected;
        int attemptsLeft = config.probeRetries();
        Scheduler.Cancellable timer;

        Check(NodeHandle node, boolean suspected) {
            this.node = node;
            this.suspected = suspected;
        }
    }

    private record Tombstone(NodeHandle node, long since) {
    }
}

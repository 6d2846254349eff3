package org.epost.peer.health;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.RingStatus;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.peer.accounts.PendingUsers;
import org.epost.peer.directory.DirectoryStoreException;
import org.epost.peer.directory.PeerDirectoryStore;
import org.epost.peer.lease.LeaseHealth;
import org.epost.peer.lease.LeaseService;
import org.epost.peer.overlay.OverlayService;
import org.epost.post.accounts.AccountException;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The "ePOST" entry of James's {@code /healthcheck}: unhealthy when the peer's own store does not answer, or when its
 * overlay node is alone although it was configured to join other peers; degraded while it is still joining. Then
 * replication: unhealthy when the node sees fewer than k live nodes (inserts are refused), degraded when it accepts
 * inserts on fewer replicas anyway ({@code past.degraded-inserts}). Then the
 * refresh of its blocks' leases: degraded while references wait for a retry, unhealthy when refresh keeps failing
 * (see {@link LeaseHealth}). Last, users pending: degraded while a user added on this peer without the user CA key
 * waits for its certificate longer than a day ({@link PendingUsers}).
 */
public class EpostHealthCheck implements HealthCheck {
    public static final ComponentName COMPONENT = new ComponentName("ePOST");

    private final PeerDirectoryStore store;
    private final OverlayService overlay;
    private final LeaseService leases;
    private final PendingUsers pendingUsers;

    @Inject
    public EpostHealthCheck(PeerDirectoryStore store, OverlayService overlay, LeaseService leases,
                            PendingUsers pendingUsers) {
        this.pendingUsers = pendingUsers;
        this.store = store;
        this.overlay = overlay;
        this.leases = leases;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(this::checkNow).subscribeOn(Schedulers.boundedElastic());
    }

    Result checkNow() {
        try {
            store.probe();
        } catch (DirectoryStoreException e) {
            return Result.unhealthy(COMPONENT, "The peer directory store does not answer: " + e.getMessage(), e);
        }
        Result node = overlay.node().map(this::checkOverlay).orElse(Result.healthy(COMPONENT));
        return node.isHealthy() ? checkLeases() : node;
    }

    private Result checkLeases() {
        LeaseHealth.Verdict verdict = leases.health();
        return switch (verdict.level()) {
            case HEALTHY -> checkPendingUsers();
            case DEGRADED -> Result.degraded(COMPONENT, verdict.reason());
            case UNHEALTHY -> Result.unhealthy(COMPONENT, verdict.reason());
        };
    }

    private Result checkPendingUsers() {
        Optional<PendingUsers.Summary> pending;
        try {
            pending = pendingUsers.summary(Instant.now());
        } catch (AccountException e) {
            return Result.degraded(COMPONENT, "The pending certification requests cannot be read: " + e.getMessage());
        }
        return pending.filter(summary -> summary.overdue() > 0).map(summary -> Result.degraded(COMPONENT,
            summary.overdue() + " of the " + summary.count() + " users pending here wait for their certificates for"
                + " more than a day (mail to them is refused); the oldest since " + summary.oldestSince()
                + ": see GET /epost/certification-requests")).orElse(Result.healthy(COMPONENT));
    }

    private Result checkOverlay(OverlayNode node) {
        RingStatus ring;
        try {
            ring = node.status().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Result.unhealthy(COMPONENT, "The overlay node does not answer: " + e, e);
        }
        if (!ring.ready()) {
            return Result.degraded(COMPONENT, "The overlay node is joining the ring");
        }
        if (ring.alone() && node.joinConfigured()) {
            return Result.unhealthy(COMPONENT, "The overlay node is alone: no other peer of its bootstrap list is reachable");
        }
        return overlay.pastConfig().map(past -> checkReplication(ring, past)).orElse(Result.healthy(COMPONENT));
    }

    /** Fewer live nodes than k: inserts are refused, or accepted on fewer replicas in the configured degraded mode. */
    private static Result checkReplication(RingStatus ring, PastConfig past) {
        int live = ring.leafSet().size() + 1;
        if (live >= past.replicas()) {
            return Result.healthy(COMPONENT);
        }
        if (past.degradedInserts()) {
            return Result.degraded(COMPONENT, "Degraded inserts (past.degraded-inserts): this node sees " + live
                + " live nodes, so mail is kept on fewer than k = " + past.replicas() + " replicas");
        }
        return Result.unhealthy(COMPONENT, "This node sees " + live + " live nodes, fewer than the k = " + past.replicas()
            + " replicas every insert needs: ePOST mail is refused (past.degraded-inserts=true accepts it on fewer)");
    }
}

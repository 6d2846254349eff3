package org.epost.peer.lease;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Named;

import org.apache.james.core.Username;
import org.apache.james.lifecycle.api.Startable;
import org.apache.james.user.api.UsersRepository;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.time.Scheduler;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.PostSettings;
import org.epost.peer.directory.ProvisioningUsersRepository;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.peer.overlay.OverlayService;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVaultException;
import org.epost.post.blocks.BlockService;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.lease.LeaseConfig;
import org.epost.post.lease.LeaseReference;
import org.epost.post.lease.LeaseRefresher;
import org.epost.post.lease.ReferenceSource;
import org.epost.post.lease.RefreshReport;
import org.epost.post.store.PartStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's lease-based garbage collection (DESIGN.md section 4): one {@link LeaseRefresher} on the overlay node
 * that, every {@code post.lease.refresh-interval}, extends to now + {@code post.lease.duration} the lease of every
 * block the peer still references: the POST account blocks of the users homed here ({@link HomedAccountReferences})
 * and whatever other components registered ({@link #register}: the mailbox backend's folder logs and message
 * parts). Blocks nobody refreshes any more lapse and their holders collect them. Absent without an overlay.
 *
 * <p>It is the only owner of these refreshes: the account service tells which blocks an account consists of
 * ({@link AccountService#leasedBlocks}) but refreshes nothing itself, so every lease the peer keeps alive shares one
 * schedule, one retry policy, one set of figures ({@link #status()}) and one health verdict ({@link #health()}).
 */
public class LeaseService implements Startable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseService.class);
    private static final int FAILURES_SHOWN = 10;

    private final EpostConfiguration configuration;
    private final OverlayService overlay;
    private final PostReadiness post;
    private final UsersRepository users;
    private final HomedAccountReferences homedAccounts;
    private final MetricSink metrics;
    private final ReferenceRegistry registry = new ReferenceRegistry();
    private final RefreshHistory history = new RefreshHistory();
    private final LeaseConfig config;
    private final ReferenceSource everything;
    private final LeaseMandates mandates;
    private volatile LeaseRefresher refresher;
    private volatile Scheduler scheduler;
    private boolean stopped;

    /**
     * @param users the stored accounts of this peer (the undecorated repository: this service must not depend on
     *              the provisioning listeners, which depend on it through {@link HomedAccountReferences})
     */
    @Inject
    public LeaseService(EpostConfiguration configuration, OverlayService overlay, PostReadiness post,
                        @Named(ProvisioningUsersRepository.DELEGATE) UsersRepository users,
                        HomedAccountReferences homedAccounts, MetricSink metrics) {
        this.metrics = metrics;
        this.configuration = configuration;
        this.overlay = overlay;
        this.post = post;
        this.users = users;
        this.homedAccounts = homedAccounts;
        this.config = configuration.lease().toLeaseConfig();
        this.everything = ReferenceSource.composite(homedAccounts, registry);
        this.mandates = new LeaseMandates(homedAccounts, config);
    }

    /**
     * Reads which accounts are homed here and starts refreshing once the node is in a ring (before that every
     * extension would fail): a first round at once, then one every refresh interval.
     */
    public void start() throws Exception {
        Optional<OverlayNode> started = overlay.node();
        if (started.isEmpty()) {
            LOG.info("Peer {} runs without the overlay: no leases to refresh", configuration.peerName());
            return;
        }
        OverlayNode node = started.get();
        post.ifRunning().map(PostServices::accounts).ifPresent(this::loadHomedAccounts);
        BlockService blocks = new PastBlockService(node.past());
        // Extending a part's lease decrypts its manifest with the reference's own key: no convergence secret needed.
        PartStore parts = new PartStore(blocks, new ConvergentCipher(Optional.empty()));
        LeaseRefresher created = new LeaseRefresher(blocks, parts, everything, node.scheduler(), config,
            this::roundFinished);
        scheduler = node.scheduler();
        refresher = created;
        node.onNodeThread(() -> {
            node.pastry().whenReady(() -> startRefreshing(created));
            return null;
        });
        // Leases while a home is down: this peer's users' mandates, and the mandates it guards for other homes.
        mandates.start(node, post.ifRunning().map(PostServices::accounts));
        LOG.info("Peer {} refreshes the leases of {} homed accounts' blocks every {} (leases of {})",
            configuration.peerName(), homedAccounts.accounts(), configuration.lease().refreshInterval(),
            configuration.lease().lease());
    }

    private synchronized void startRefreshing(LeaseRefresher created) {
        if (!stopped) {
            created.start();
        }
    }

    private void loadHomedAccounts(AccountService accounts) {
        PostSettings settings = configuration.post().orElseThrow();
        Iterator<Username> all;
        try {
            all = users.list();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot list the users of peer " + configuration.peerName()
                + " to refresh their accounts' leases: " + e.getMessage(), e);
        }
        while (all.hasNext()) {
            Username user = all.next();
            if (user.getDomainPart().map(domain -> settings.isEpostDomain(domain.asString())).orElse(false)) {
                try {
                    accounts.leasedBlocks(user.asString()).ifPresent(keys -> homedAccounts.track(user.asString(), keys));
                } catch (KeyVaultException e) {
                    LOG.error("Cannot read the keys of {}: the leases of its account blocks are not refreshed",
                        user.asString(), e);
                }
            }
        }
    }

    private void roundFinished(RefreshReport report) {
        history.accept(report);
        metrics.count(report.retry() ? "epost.lease.rounds.retry" : "epost.lease.rounds");
        metrics.count("epost.lease.refreshed", report.refreshed().size());
        metrics.count("epost.lease.failed", report.failed().size());
        metrics.time("epost.lease.round", TimeUnit.MILLISECONDS.toNanos(report.finishedAt() - report.startedAt()));
        if (report.allRefreshed()) {
            LOG.info("Lease refresh{}: {} references extended to {}", report.retry() ? " retry" : "",
                report.refreshed().size(), Instant.ofEpochMilli(report.newExpiry()));
        } else {
            LOG.warn("Lease refresh{}: {} references extended, {} failed and are retried in {} ms; e.g. {}",
                report.retry() ? " retry" : "", report.refreshed().size(), report.failed().size(),
                config.retryDelayMillis(), report.failed().entrySet().iterator().next());
        }
    }

    /** Keeps {@code source}'s references alive from the next round on (a component's folder logs, its parts...). */
    public void register(ReferenceSource source) {
        registry.register(source);
    }

    /**
     * Adds what {@code source} says each user homed here references (by normalized address) to the user's lease
     * mandate, which the guardians act on while this peer is down (the mailbox backend's logs and parts).
     */
    public void registerPerUser(java.util.function.Function<String, java.util.Set<LeaseReference>> source) {
        mandates.registerPerUser(source);
    }

    /** Stops refreshing what only {@code source} referenced: it lapses with its leases. */
    public boolean unregister(ReferenceSource source) {
        return registry.unregister(source);
    }

    /** The account blocks of the users homed here (provisioning adds to it). */
    public HomedAccountReferences homedAccounts() {
        return homedAccounts;
    }

    /** Runs a full round now (or joins the one running); fails when the service does not run. */
    public CompletableFuture<RefreshReport> refreshNow() {
        LeaseRefresher current = refresher;
        return current == null ? CompletableFuture.failedFuture(new IllegalStateException("lease refresh is not running"))
            : current.refreshNow();
    }

    /**
     * Runs a full round reading the references from now on (after the round running, if any): a source filled after
     * the first round of a start (the mailboxes' first collection) is refreshed then, not a refresh interval later.
     */
    public CompletableFuture<RefreshReport> refreshFromNow() {
        LeaseRefresher current = refresher;
        return current == null ? CompletableFuture.failedFuture(new IllegalStateException("lease refresh is not running"))
            : current.refreshFromNow();
    }

    public LeaseConfig config() {
        return config;
    }

    /** Whether a refresher runs (the overlay is enabled and the service started). */
    public boolean running() {
        return refresher != null;
    }

    /** The health of the refresh, judged by {@link LeaseHealth}. */
    public LeaseHealth.Verdict health() {
        LeaseRefresher current = refresher;
        if (current == null) {
            return new LeaseHealth.Verdict(LeaseHealth.Level.HEALTHY, "no overlay: nothing to refresh");
        }
        return LeaseHealth.judge(history.snapshot(), current.pendingRetry().size(), everything.references().size(),
            scheduler.now(), config);
    }

    /** The figures of {@code GET /epost/status}. */
    public Status status() {
        LeaseRefresher current = refresher;
        RefreshHistory.Snapshot recent = history.snapshot();
        if (current == null) {
            return new Status(false, config.leaseMillis() / 1000, config.refreshIntervalMillis() / 1000,
                homedAccounts.accounts(), registry.size(), 0, 0, 0, 0, 0, 0, 0, "HEALTHY", null);
        }
        LeaseHealth.Verdict verdict = health();
        return new Status(true, config.leaseMillis() / 1000, config.refreshIntervalMillis() / 1000,
            homedAccounts.accounts(), registry.size(), everything.references().size(), current.rounds(),
            current.retryRounds(), current.refreshedTotal(), current.failedTotal(), current.pendingRetry().size(),
            recent.failingRounds(), verdict.level().name(), recent.lastReport().map(LastRound::of).orElse(null));
    }

    @PreDestroy
    public void stop() {
        synchronized (this) {
            stopped = true;
        }
        mandates.stop();
        LeaseRefresher current = refresher;
        if (current != null) {
            current.close();
        }
    }

    /** The lease figures in {@code GET /epost/status}. */
    public record Status(boolean running, long leaseSeconds, long refreshIntervalSeconds, int homedAccounts,
                         int registeredSources, int references, long rounds, long retryRounds, long refreshed,
                         long failed, int pendingRetry, int failingRounds, String health, LastRound lastRound) {
    }

    /** The newest round: when, until when it extended, and what failed (at most {@value #FAILURES_SHOWN} shown). */
    public record LastRound(boolean retry, String startedAt, String finishedAt, String newExpiry, int refreshed,
                            int failed, Map<String, String> failures) {
        static LastRound of(RefreshReport report) {
            Map<String, String> failures = new LinkedHashMap<>();
            for (Map.Entry<LeaseReference, String> failure : report.failed().entrySet()) {
                if (failures.size() == FAILURES_SHOWN) {
                    break;
                }
                failures.put(failure.getKey().toString(), failure.getValue());
            }
            return new LastRound(report.retry(), Instant.ofEpochMilli(report.startedAt()).toString(),
                Instant.ofEpochMilli(report.finishedAt()).toString(), Instant.ofEpochMilli(report.newExpiry()).toString(),
                report.refreshed().size(), report.failed().size(), failures);
        }
    }
}

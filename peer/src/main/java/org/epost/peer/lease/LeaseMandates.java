package org.epost.peer.lease;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.security.KeyPair;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.past.block.BlockKey;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.blocks.PastBlockService;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.lease.LeaseConfig;
import org.epost.post.lease.LeaseGuardian;
import org.epost.post.lease.LeaseMandate;
import org.epost.post.lease.LeaseReference;
import org.epost.post.lease.MandatePublisher;
import org.epost.post.store.PartStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases while a home peer is down (issue #14), both roles on this peer, once per refresh interval on a thread of
 * its own (both read the vault or the block store):
 * <ul>
 *   <li>home: for every user homed here, a new {@link LeaseMandate} listing every block of the user's account and
 *       mailboxes, held until the user's certificate expires (and the user's recovery envelope made current, for
 *       users provisioned before the recovery key reached this peer);</li>
 *   <li>guardian: for every mandate this node holds a replica of, a {@link LeaseGuardian} round, which extends the
 *       listed leases only once the mandate's home has been silent for two refresh intervals.</li>
 * </ul>
 */
final class LeaseMandates {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseMandates.class);
    private static final long WAIT_SECONDS = 300;
    private static final long FIRST_ROUND_MILLIS = 5 * 60_000;

    private final HomedAccountReferences homedAccounts;
    private final List<Function<String, Set<LeaseReference>>> perUser = new CopyOnWriteArrayList<>();
    private final LeaseConfig config;
    private ScheduledExecutorService executor;

    LeaseMandates(HomedAccountReferences homedAccounts, LeaseConfig config) {
        this.homedAccounts = homedAccounts;
        this.config = config;
    }

    /** Adds what {@code source} says each user references (by address) to the users' mandates. */
    void registerPerUser(Function<String, Set<LeaseReference>> source) {
        perUser.add(source);
    }

    synchronized void start(OverlayNode node, Optional<AccountService> accounts) {
        if (executor != null) {
            return;
        }
        PastBlockService blocks = new PastBlockService(node.past());
        MandatePublisher publisher = new MandatePublisher(blocks, new PartStore(blocks,
            new ConvergentCipher(Optional.empty())));
        LeaseGuardian guardian = new LeaseGuardian(blocks, node.scheduler(), LeaseGuardian.Settings.of(config));
        executor = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("epost-lease-mandates", true));
        long period = config.refreshIntervalMillis();
        // The first mandates soon after start (not a week later), once the mailboxes' references were collected.
        long first = Math.min(period, FIRST_ROUND_MILLIS);
        executor.scheduleWithFixedDelay(() -> {
            accounts.ifPresent(service -> publishAll(service, publisher, node));
            guardAll(guardian, node);
        }, first, period, TimeUnit.MILLISECONDS);
    }

    private void publishAll(AccountService accounts, MandatePublisher publisher, OverlayNode node) {
        for (Map.Entry<String, List<BlockKey>> account : homedAccounts.byAddress().entrySet()) {
            String address = account.getKey();
            try {
                Optional<UserKeys> keys = accounts.keys(address);
                if (keys.isEmpty()) {
                    continue;
                }
                Set<LeaseReference> references = new LinkedHashSet<>();
                account.getValue().forEach(key -> references.add(LeaseReference.of(key)));
                perUser.forEach(source -> references.addAll(source.apply(address)));
                Set<BlockKey> blocks = publisher.flatten(references).get(WAIT_SECONDS, TimeUnit.SECONDS);
                UserCertificate certificate = accounts.lookupCertificate(address).get(WAIT_SECONDS, TimeUnit.SECONDS);
                long now = node.scheduler().now();
                LeaseMandate mandate = new LeaseMandate(address, now, Math.max(now, certificate.notAfter()),
                    List.copyOf(blocks));
                KeyPair signing = keys.get().signing();
                publisher.publish(signing, mandate, now + config.leaseMillis()).get(WAIT_SECONDS, TimeUnit.SECONDS);
                // Users provisioned before the recovery key reached this peer (or sealed to an older one) get their
                // envelope here: one lookup per user and interval when it is current.
                accounts.publishRecovery(address).get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Cannot publish the lease mandate or recovery envelope of {} (tried again next interval): {}",
                    address, AccountService.unwrap(e).getMessage());
            }
        }
    }

    private void guardAll(LeaseGuardian guardian, OverlayNode node) {
        try {
            for (BlockKey mandate : LeaseGuardian.mandatesIn(node.past().store(), node.scheduler())) {
                LeaseGuardian.Report report = guardian.guard(mandate).get(WAIT_SECONDS, TimeUnit.SECONDS);
                if (report.outcome() == LeaseGuardian.Outcome.EXTENDED) {
                    LOG.info("Guarding lease mandate {} of a silent home: {} leases extended to {}, {} failed",
                        mandate.handle(), report.extended(), report.newExpiry(), report.failed());
                }
            }
        } catch (Exception e) {
            LOG.warn("Guarding the lease mandates held here failed (tried again next interval): {}",
                AccountService.unwrap(e).getMessage());
        }
    }

    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}

package org.epost.peer.accounts;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.Username;
import org.apache.james.lifecycle.api.Startable;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.directory.DeletedUsers;
import org.epost.peer.directory.PersistentUsersRepository;
import org.epost.peer.lease.HomedAccountReferences;
import org.epost.peer.lease.LeaseService;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grace period of users deleted in James ({@code post.account.grace}): until it is over their account blocks'
 * leases are refreshed (from the start too, though they are no James user any more), and once it is over their keys
 * are destroyed and the leases left to lapse. Checks every quarter of the grace period, at least every second and at
 * most every hour, so a deletion is given up at most that late.
 */
@Singleton
public class AccountGrace implements Startable {
    private static final Logger LOG = LoggerFactory.getLogger(AccountGrace.class);

    private final EpostConfiguration configuration;
    private final PostReadiness post;
    private final DeletedUsers deleted;
    private final PersistentUsersRepository users;
    private final HomedAccountReferences homedAccounts;
    private final Clock clock;
    private ScheduledExecutorService sweeper;

    /** Started after the lease service (James orders start-ups by constructor dependencies), whose accounts it adds to. */
    @Inject
    public AccountGrace(EpostConfiguration configuration, PostReadiness post, DeletedUsers deleted,
                        PersistentUsersRepository users, LeaseService leases) {
        this(configuration, post, deleted, users, leases.homedAccounts(), Clock.systemUTC());
    }

    public AccountGrace(EpostConfiguration configuration, PostReadiness post, DeletedUsers deleted,
                        PersistentUsersRepository users, HomedAccountReferences homedAccounts, Clock clock) {
        this.configuration = configuration;
        this.post = post;
        this.deleted = deleted;
        this.users = users;
        this.homedAccounts = homedAccounts;
        this.clock = clock;
    }

    /** Keeps the leases of the users in their grace period, and starts sweeping. */
    public synchronized void start() {
        Optional<PostServices> services = post.ifRunning();
        if (services.isEmpty() || sweeper != null) {
            return;
        }
        for (Username user : deleted.all().keySet()) {
            try {
                services.get().accounts().leasedBlocks(user.asString())
                    .ifPresent(blocks -> homedAccounts.track(user.asString(), blocks));
            } catch (Exception e) {
                LOG.error("Cannot read the keys of {} (deleted, in its grace period): its leases are not refreshed",
                    user.asString(), e);
            }
        }
        long period = Math.max(1_000, Math.min(3_600_000, configuration.account().grace().toMillis() / 4));
        sweeper = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("epost-account-grace", true));
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (Exception e) {
                LOG.warn("Sweeping the deleted ePOST accounts failed (tried again in {} ms): {}", period, e.getMessage());
            }
        }, 0, period, TimeUnit.MILLISECONDS);
    }

    /** Gives up every account whose grace period is over; answers how many. */
    public int sweep() throws Exception {
        Optional<PostServices> services = post.ifRunning();
        if (services.isEmpty()) {
            return 0;
        }
        Duration grace = configuration.account().grace();
        Instant now = clock.instant();
        int given = 0;
        for (Map.Entry<Username, Instant> mark : deleted.all().entrySet()) {
            Username user = mark.getKey();
            if (users.contains(user)) {
                deleted.unmark(user); // added again while the mark was being written: it is a user again
                continue;
            }
            if (!mark.getValue().plus(grace).isAfter(now)) {
                AccountProvisioner.giveUp(services.get(), homedAccounts, user);
                deleted.unmark(user);
                LOG.info("Gave up the ePOST account of {}: deleted {}, grace period of {} over", user.asString(),
                    mark.getValue(), grace);
                given++;
            }
        }
        return given;
    }

    @PreDestroy
    public synchronized void stop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }
}

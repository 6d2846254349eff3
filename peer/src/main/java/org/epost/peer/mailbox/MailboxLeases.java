package org.epost.peer.mailbox;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.lifecycle.api.Startable;
import org.epost.mailbox.PostMailboxSessionMapperFactory;
import org.epost.mailbox.mail.ContentCache;
import org.epost.mailbox.storage.MailboxLeaseReferences;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.lease.LeaseService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the mailboxes' blocks alive: every log block and message part the peer's users still reference is handed to
 * the peer's lease refresh. Collecting walks every log (blocking I/O), so it runs on a thread of its own twice per
 * refresh interval, and the refresher reads the last complete snapshot. A collection that fails keeps the previous
 * snapshot, so a transient failure never lets referenced blocks expire.
 */
@Singleton
public class MailboxLeases implements Startable {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxLeases.class);
    static final long FIRST_COLLECTION_DELAY_MILLIS = 60_000;

    private final EpostConfiguration configuration;
    private final LeaseService leases;
    private final MailboxLeaseReferences references;
    private final ContentCache contents;
    private ScheduledExecutorService collector;
    private volatile boolean collectedOnce;

    @Inject
    public MailboxLeases(EpostConfiguration configuration, LeaseService leases, PostMailboxSessionMapperFactory mailboxes) {
        this.configuration = configuration;
        this.leases = leases;
        this.references = new MailboxLeaseReferences(mailboxes.registry());
        this.contents = mailboxes.contentCache();
    }

    public synchronized void start() {
        if (configuration.post().isEmpty() || collector != null) {
            return;
        }
        leases.register(references.source());
        leases.registerPerUser(references::referencesOf);
        long periodMillis = Math.max(1, configuration.lease().refreshInterval().toMillis() / 2);
        collector = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("epost-mailbox-leases", true));
        // The first collection waits a little: right after a restart it would read every folder whole while users'
        // first SELECTs want the disk and the CPU; leases last weeks, and the refresh round follows the collection.
        long firstDelayMillis = Math.min(periodMillis, FIRST_COLLECTION_DELAY_MILLIS);
        collector.scheduleWithFixedDelay(this::collect, firstDelayMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void collect() {
        try {
            long started = System.currentTimeMillis();
            int count = references.collect().size();
            // skeleton files of messages no folder holds any longer (expunged from the last one) go too
            int swept = contents.retainSkeletons(references.liveMessages(), started);
            LOG.debug("Mailbox lease references collected: {}; skeleton files deleted: {}", count, swept);
            if (!collectedOnce) {
                collectedOnce = true;
                // the start's first refresh round read no mailbox reference (none collected yet): one more round now,
                // else a peer restarted more often than the refresh interval would never extend its mail's leases
                if (leases.running()) {
                    leases.refreshFromNow().whenComplete((report, error) -> {
                        if (error != null) {
                            LOG.warn("Refreshing the mailboxes' leases after their first collection failed: {}",
                                error.getMessage());
                        }
                    });
                }
            }
        } catch (Exception e) {
            LOG.warn("Cannot collect the mailboxes' block references ({}); the previous snapshot stays refreshed",
                e.getMessage());
        }
    }

    @PreDestroy
    public synchronized void stop() {
        if (collector != null) {
            collector.shutdownNow();
            collector = null;
        }
    }
}

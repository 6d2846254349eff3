package org.epost.peer.queue;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollector;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.PostSettings;
import org.epost.post.spool.SealedSpoolBody;

/**
 * James's ActiveMQ queue factory, initialised at construction. Guice does not run {@code @PostConstruct}, and the
 * factory needs its {@code init()} (the MBean server its queues register with) before the first mailet asks for a
 * queue. Its {@code @PreDestroy destroy()} is run by James's lifecycle on shutdown.
 *
 * <p>Mail bodies travel inside the JMS messages, into the broker's fsynced journal, rather than as ActiveMQ blob
 * messages (James's default), whose files are written without fsync and would not survive a power loss. On a peer
 * of ePOST domains they are sealed there ({@link SealedActiveMQMailQueue}) under a key derived from
 * {@code post.vault.secret}: mail that takes a fallback path (a hook timeout, recipients left over, other domains)
 * is not in plaintext on disk while it waits.
 */
public class PersistentMailQueueFactory extends ActiveMQMailQueueFactory {
    private final Optional<byte[]> spoolKey;

    @Inject
    public PersistentMailQueueFactory(LocalBroker broker, MailQueueItemDecoratorFactory decoratorFactory,
                                      MetricFactory metricFactory, GaugeRegistry gaugeRegistry,
                                      ActiveMQMetricCollector metricCollector, EpostConfiguration configuration) {
        super(broker.connectionFactory(), decoratorFactory, metricFactory, gaugeRegistry, metricCollector);
        this.spoolKey = configuration.post().map(PostSettings::vaultSecret).map(SealedSpoolBody::spoolKey);
        setUseBlobMessages(false);
        init();
    }

    @Override
    protected ManageableMailQueue createCacheableMailQueue(MailQueueName name) {
        if (spoolKey.isEmpty()) {
            return super.createCacheableMailQueue(name);
        }
        return new SealedActiveMQMailQueue(connectionFactory, mailQueueItemDecoratorFactory, name, metricFactory,
            gaugeRegistry, spoolKey.get());
    }
}

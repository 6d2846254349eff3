package org.epost.peer.queue;

import javax.inject.Inject;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollector;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.epost.peer.config.EpostConfiguration;

/**
 * James's ActiveMQ queue factory, initialised at construction. Guice does not run {@code @PostConstruct}, and the
 * factory needs its {@code init()} (the MBean server its queues register with) before the first mailet asks for a
 * queue. Its {@code @PreDestroy destroy()} is run by James's lifecycle on shutdown.
 *
 * <p>Mail bodies travel inside the JMS messages, into the broker's fsynced journal, rather than as ActiveMQ blob
 * messages (James's default), whose files are written without fsync and would not survive a power loss. They are
 * sealed there ({@link SealedActiveMQMailQueue}) on every peer, under its {@link SpoolKeys}: mail that takes a
 * fallback path (a hook timeout, recipients left over, other domains), or any mail of a peer without ePOST domains,
 * is not in plaintext on disk while it waits.
 */
public class PersistentMailQueueFactory extends ActiveMQMailQueueFactory {
    private final SpoolKeys spoolKeys;

    @Inject
    public PersistentMailQueueFactory(LocalBroker broker, MailQueueItemDecoratorFactory decoratorFactory,
                                      MetricFactory metricFactory, GaugeRegistry gaugeRegistry,
                                      ActiveMQMetricCollector metricCollector, EpostConfiguration configuration) {
        super(broker.connectionFactory(), decoratorFactory, metricFactory, gaugeRegistry, metricCollector);
        this.spoolKeys = SpoolKeys.of(configuration);
        setUseBlobMessages(false);
        init();
    }

    @Override
    protected ManageableMailQueue createCacheableMailQueue(MailQueueName name) {
        return new SealedActiveMQMailQueue(connectionFactory, mailQueueItemDecoratorFactory, name, metricFactory,
            gaugeRegistry, spoolKeys);
    }
}

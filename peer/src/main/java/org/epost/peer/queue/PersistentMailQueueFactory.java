package org.epost.peer.queue;

import javax.inject.Inject;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollector;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;

/**
 * James's ActiveMQ queue factory, initialised at construction. Guice does not run {@code @PostConstruct}, and the
 * factory needs its {@code init()} (the MBean server its queues register with) before the first mailet asks for a
 * queue. Its {@code @PreDestroy destroy()} is run by James's lifecycle on shutdown.
 *
 * <p>Mail bodies travel inside the JMS messages, into the broker's fsynced journal, rather than as ActiveMQ blob
 * messages (James's default), whose files are written without fsync and would not survive a power loss.
 */
public class PersistentMailQueueFactory extends ActiveMQMailQueueFactory {

    @Inject
    public PersistentMailQueueFactory(LocalBroker broker, MailQueueItemDecoratorFactory decoratorFactory,
                                      MetricFactory metricFactory, GaugeRegistry gaugeRegistry,
                                      ActiveMQMetricCollector metricCollector) {
        super(broker.connectionFactory(), decoratorFactory, metricFactory, gaugeRegistry, metricCollector);
        setUseBlobMessages(false);
        init();
    }
}

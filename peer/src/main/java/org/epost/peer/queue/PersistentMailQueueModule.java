package org.epost.peer.queue;

import java.io.FileNotFoundException;

import javax.inject.Singleton;
import javax.jms.ConnectionFactory;

import org.apache.activemq.store.PersistenceAdapter;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.queue.activemq.ActiveMQConfiguration;
import org.apache.james.queue.activemq.ActiveMQHealthCheck;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollector;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorImpl;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.PropertiesProvider;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * Replaces the memory app's in-RAM mail queues with James's own ActiveMQ queues on an in-JVM broker
 * ({@link LocalBroker}) whose KahaDB journal lives in {@code var/store/activemq} and is fsynced on every write. A mail the SMTP server answered 250 for
 * is in that journal, and stays there until the mailet pipeline has finished with it, so kill -9 loses none.
 *
 * <p>James publishes the queue implementation ({@code james-server-queue-activemq}) but not its Guice module; this
 * is that wiring.
 */
public class PersistentMailQueueModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(LocalBroker.class).in(Scopes.SINGLETON);
        bind(PersistentMailQueueFactory.class).in(Scopes.SINGLETON);
        bind(ActiveMQMetricCollectorImpl.class).in(Scopes.SINGLETON);
        bind(ActiveMQMetricCollector.class).to(ActiveMQMetricCollectorImpl.class);
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(ActiveMQHealthCheck.class);
    }

    @Provides
    @Singleton
    PersistenceAdapter kahaDb() {
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        // These are KahaDB's defaults; set explicitly because the no-loss promise rests on them.
        kahaDb.setJournalDiskSyncStrategy("always");
        kahaDb.setCheckForCorruptJournalFiles(true);
        return kahaDb;
    }

    @Provides
    @Singleton
    ConnectionFactory connectionFactory(LocalBroker broker) {
        return broker.connectionFactory();
    }

    @Provides
    @Singleton
    ActiveMQConfiguration activeMqConfiguration(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return ActiveMQConfiguration.from(propertiesProvider.getConfiguration("activemq"));
        } catch (FileNotFoundException e) {
            return ActiveMQConfiguration.getDefault();
        }
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends ManageableMailQueue> manageableMailQueueFactory(PersistentMailQueueFactory factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<?> mailQueueFactory(PersistentMailQueueFactory factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends MailQueue> mailQueueFactoryOfMailQueues(PersistentMailQueueFactory factory) {
        return factory;
    }

    @ProvidesIntoSet
    InitializationOperation startQueueMetrics(ActiveMQMetricCollectorImpl collector) {
        return InitilizationOperationBuilder
            .forClass(ActiveMQMetricCollectorImpl.class)
            .init(collector::start);
    }
}

package org.epost.peer.queue;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.jms.ConnectionFactory;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.jmx.ManagementContext;
import org.apache.activemq.plugin.StatisticsBrokerPlugin;
import org.apache.activemq.store.PersistenceAdapter;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.james.filesystem.api.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ActiveMQ broker under James's mail queues, as ePOST runs it: reachable only inside this JVM. James's own
 * {@code EmbeddedActiveMQ} also opens a TCP connector on localhost, through which any local process could read or
 * inject spooled mail (and which is what CVE-2023-46604 attacks); nothing needs it, so there is none here. Its
 * data stays where James keeps it ({@code var/store/activemq/brokers}, the KahaDB journal in its {@code KahaDB}).
 *
 * <p>Message bodies are not sent as ActiveMQ "blob" messages either (see {@link PersistentMailQueueFactory}): blobs
 * are plain files written without fsync, while the KahaDB journal the messages go to instead is fsynced on every
 * write (see {@link PersistentMailQueueModule#kahaDb()}).
 */
public final class LocalBroker {
    static final String BROKER_NAME = "james";
    private static final Logger LOG = LoggerFactory.getLogger(LocalBroker.class);
    private static final String DATA = "file://var/store/activemq/brokers";
    private static final String EARLIER_JOURNAL = "KahaDB";

    private final BrokerService broker;
    private final ActiveMQConnectionFactory connections;

    @Inject
    public LocalBroker(FileSystem fileSystem, PersistenceAdapter persistence) throws Exception {
        this.broker = new BrokerService();
        broker.setBrokerName(BROKER_NAME);
        broker.setBrokerId("broker");
        broker.setPersistent(true);
        File data = dataDirectory(fileSystem);
        broker.setDataDirectoryFile(data);
        if (persistence instanceof KahaDBPersistenceAdapter kahaDb) {
            kahaDb.setDirectory(journalDirectory(data, new File(EARLIER_JOURNAL)));
        }
        broker.setPersistenceAdapter(persistence);
        broker.setUseShutdownHook(false);
        broker.setSchedulerSupport(false);
        broker.setUseJmx(false);
        ManagementContext management = new ManagementContext();
        management.setCreateConnector(false);
        broker.setManagementContext(management);
        // James's queue metrics ask the broker for queue statistics.
        broker.setPlugins(new BrokerPlugin[] {new StatisticsBrokerPlugin()});
        broker.setEnableStatistics(true);
        broker.setTransportConnectorURIs(new String[0]);
        broker.start();
        LOG.info("Mail queue broker started in this JVM only (no network connector), data in {}",
            broker.getDataDirectoryFile());
        this.connections = new ActiveMQConnectionFactory("vm://" + BROKER_NAME + "?create=false");
        connections.setTrustAllPackages(false);
        // A mail is handed to one consumer when it asks, not pushed ahead to one that may be busy for minutes.
        ActiveMQPrefetchPolicy prefetch = new ActiveMQPrefetchPolicy();
        prefetch.setQueuePrefetch(0);
        prefetch.setTopicPrefetch(0);
        connections.setPrefetchPolicy(prefetch);
    }

    private static File dataDirectory(FileSystem fileSystem) {
        try {
            return fileSystem.getFile(DATA);
        } catch (FileNotFoundException e) {
            throw new IllegalStateException("Cannot locate the mail queue directory " + DATA, e);
        }
    }

    /**
     * {@code data/KahaDB}. A KahaDB adapter given to the broker without a directory of its own writes to
     * {@code KahaDB} in the working directory, which is where earlier ePOST versions' peers kept their spool: such a
     * journal is moved here once (before the broker opens it), so the mail it holds is still delivered.
     */
    static File journalDirectory(File data, File earlier) {
        File journal = new File(data, "KahaDB");
        if (earlier.isDirectory() && !journal.exists()) {
            try {
                Files.createDirectories(data.toPath());
                Files.move(earlier.toPath(), journal.toPath(), StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Moved the mail queue journal {} of an earlier version to {}", earlier.getAbsolutePath(), journal);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot move the mail queue journal " + earlier.getAbsolutePath()
                    + " to " + journal + ": move it by hand before starting", e);
            }
        }
        return journal;
    }

    public ConnectionFactory connectionFactory() {
        return connections;
    }

    /** How many network connectors the broker runs: none, and the tests hold it to that. */
    int networkConnectors() {
        return broker.getTransportConnectors().size();
    }

    @PreDestroy
    public void stop() throws Exception {
        broker.stop();
        broker.waitUntilStopped();
    }
}

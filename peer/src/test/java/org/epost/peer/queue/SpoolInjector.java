package org.epost.peer.queue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.server.core.JamesServerResourceLoader;
import org.apache.james.server.core.configuration.Configuration.ConfigurationPath;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.james.utils.PropertiesProvider;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.PostSettings;

import com.google.inject.Guice;
import com.google.inject.Injector;

/** The mail queues exactly as an ePOST peer wires them ({@link PersistentMailQueueModule}), on a working directory. */
final class SpoolInjector {
    private SpoolInjector() {
    }

    /** The vault secret of the peer these tests play: its spool key seals the spooled messages. */
    static final byte[] VAULT_SECRET = "spool-test-vault-secret-of-32-bytes-or-more".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    static Injector create(String workingDirectory) {
        return create(workingDirectory, VAULT_SECRET);
    }

    static Injector create(String workingDirectory, byte[] vaultSecret) {
        return create(workingDirectory, Optional.of(new PostSettings(Set.of("epost.test"),
            Path.of(workingDirectory, "authority"), new char[0], vaultSecret)));
    }

    /** A peer without {@code post.domains}: no vault secret, its spool sealed under {@code data.dir/spool.secret}. */
    static Injector withoutDomains(String workingDirectory) {
        return create(workingDirectory, Optional.empty());
    }

    static Injector create(String workingDirectory, boolean withDomains) {
        return withDomains ? create(workingDirectory) : withoutDomains(workingDirectory);
    }

    private static Injector create(String workingDirectory, Optional<PostSettings> post) {
        JamesDirectoriesProvider directories = new JamesServerResourceLoader(workingDirectory);
        FileSystem fileSystem = new FileSystemImpl(directories);
        return Guice.createInjector(new PersistentMailQueueModule(), binder -> {
            binder.bind(JamesDirectoriesProvider.class).toInstance(directories);
            binder.bind(FileSystem.class).toInstance(fileSystem);
            binder.bind(PropertiesProvider.class).toInstance(new PropertiesProvider(fileSystem,
                new ConfigurationPath(FileSystem.FILE_PROTOCOL_AND_CONF)));
            binder.bind(MailQueueItemDecoratorFactory.class).to(RawMailQueueItemDecoratorFactory.class);
            binder.bind(MetricFactory.class).to(RecordingMetricFactory.class);
            binder.bind(GaugeRegistry.class).to(NoopGaugeRegistry.class);
            binder.bind(EpostConfiguration.class).toInstance(new EpostConfiguration("spool-test", Path.of(workingDirectory),
                Optional.empty(), post));
        });
    }
}

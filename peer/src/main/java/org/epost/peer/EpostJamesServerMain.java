package org.epost.peer;

import org.apache.james.ExtraProperties;
import org.apache.james.FakeSearchMailboxModule;
import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerMain;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.jmap.draft.JMAPListenerModule;
import org.apache.james.modules.RunArgumentsModule;
import org.apache.james.modules.server.JMXServerModule;
import org.epost.peer.config.EpostVersion;
import org.epost.peer.mailbox.EpostMailboxModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.Module;

/**
 * Starts an ePOST peer: the stock Apache James 3.8.1 memory server, composed from James's own Guice modules exactly
 * as {@link MemoryJamesServerMain} does, with {@link EpostModule} and {@link EpostMailboxModule} (the ePOST mailbox
 * backend) overriding what ePOST replaces. Stock James jars
 * are used unmodified; this class and the ePOST jars are only added to the classpath.
 */
public final class EpostJamesServerMain {
    private static final Logger LOGGER = LoggerFactory.getLogger(EpostJamesServerMain.class);

    private EpostJamesServerMain() {
    }

    public static void main(String[] args) throws Exception {
        ExtraProperties.initialize();
        MemoryJamesConfiguration configuration = MemoryJamesConfiguration.builder()
            .useWorkingDirectoryEnvProperty()
            .build();
        LOGGER.info("Starting ePOST peer {} on Apache James {}", EpostVersion.current(), configuration);
        JamesServerMain.main(createServer(configuration)
            .overrideWith(new RunArgumentsModule(args)));
    }

    public static GuiceJamesServer createServer(MemoryJamesConfiguration configuration) {
        return GuiceJamesServer.forConfiguration(configuration)
            .combineWith(MemoryJamesServerMain.IN_MEMORY_SERVER_AGGREGATE_MODULE)
            .combineWith(jmapListener(configuration))
            .combineWith(new FakeSearchMailboxModule(), new JMXServerModule())
            .overrideWith(new EpostModule(), new EpostMailboxModule());
    }

    private static Module jmapListener(MemoryJamesConfiguration configuration) {
        if (configuration.isJmapEnabled()) {
            return new JMAPListenerModule();
        }
        return binder -> { };
    }
}

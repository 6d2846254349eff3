package org.epost.peer.imap;

import java.nio.file.Path;

import javax.inject.Provider;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.PropertiesProvider;
import org.epost.peer.config.EpostProperties;
import org.epost.peer.config.ImapScratchSettings;
import org.epost.peer.imap.framing.LiteralScratch;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * Overrides James's {@code IMAPServerModule} binding of {@link IMAPServerFactory}: every IMAP server of the peer is an
 * {@link EpostImapServer}. Large literals are kept (encrypted) under {@code java.io.tmpdir}, where James keeps them,
 * within one scratch budget for the whole peer ({@code imap.literal.scratch}). Before the servers are used, SMTP's and
 * IMAP's message size limits are checked to be one ({@link MessageSizeLimits}).
 */
public class EpostImapModule extends AbstractModule {
    @Provides
    @Singleton
    LiteralScratch literalScratch(PropertiesProvider propertiesProvider) throws ConfigurationException {
        return new LiteralScratch(Path.of(System.getProperty("java.io.tmpdir")),
            ImapScratchSettings.from(EpostProperties.of(propertiesProvider)).scratchBytes());
    }

    @Provides
    @Singleton
    IMAPServerFactory imapServerFactory(FileSystem fileSystem, Provider<ImapDecoder> decoder, Provider<ImapEncoder> encoder,
                                        Provider<ImapProcessor> processor, MetricFactory metricFactory, GaugeRegistry gaugeRegistry,
                                        LiteralScratch scratch) {
        return new EpostImapServerFactory(fileSystem, decoder, encoder, processor, metricFactory, gaugeRegistry, scratch);
    }

    @ProvidesIntoSet
    InitializationOperation checkMessageSizeLimits(ConfigurationProvider configurationProvider, LiteralScratch scratch) {
        return InitilizationOperationBuilder
            .forClass(MessageSizeLimits.class)
            .init(() -> MessageSizeLimits.check(configurationProvider.getConfiguration("smtpserver"),
                configurationProvider.getConfiguration("imapserver"), scratch.capacity()));
    }
}

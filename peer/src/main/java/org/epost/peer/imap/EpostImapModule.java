package org.epost.peer.imap;

import java.nio.file.Path;

import javax.inject.Provider;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/**
 * Overrides James's {@code IMAPServerModule} binding of {@link IMAPServerFactory}: every IMAP server of the peer is an
 * {@link EpostImapServer}. Large literals are kept (encrypted) under {@code java.io.tmpdir}, where James keeps them.
 */
public class EpostImapModule extends AbstractModule {
    @Provides
    @Singleton
    IMAPServerFactory imapServerFactory(FileSystem fileSystem, Provider<ImapDecoder> decoder, Provider<ImapEncoder> encoder,
                                        Provider<ImapProcessor> processor, MetricFactory metricFactory, GaugeRegistry gaugeRegistry) {
        return new EpostImapServerFactory(fileSystem, decoder, encoder, processor, metricFactory, gaugeRegistry,
            Path.of(System.getProperty("java.io.tmpdir")));
    }
}

package org.epost.peer.imap;

import javax.inject.Provider;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.epost.peer.imap.framing.LiteralScratch;

/** James's IMAP server factory, building {@link EpostImapServer}s (one per {@code <imapserver>} of the conf). */
public class EpostImapServerFactory extends IMAPServerFactory {
    private final LiteralScratch scratch;

    public EpostImapServerFactory(FileSystem fileSystem, Provider<ImapDecoder> decoder, Provider<ImapEncoder> encoder,
                                  Provider<ImapProcessor> processor, MetricFactory metricFactory, GaugeRegistry gaugeRegistry,
                                  LiteralScratch scratch) {
        super(fileSystem, decoder, encoder, processor, metricFactory, gaugeRegistry);
        this.scratch = scratch;
    }

    @Override
    protected IMAPServer createServer() {
        return new EpostImapServer(decoder.get(), encoder.get(), processor.get(), imapMetrics, gaugeRegistry, scratch);
    }
}

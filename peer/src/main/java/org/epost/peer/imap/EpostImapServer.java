package org.epost.peer.imap;

import java.util.Optional;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.ImapMetrics;
import org.apache.james.imapserver.netty.ImapRequestFrameDecoder;
import org.apache.james.imapserver.netty.NettyConstants;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.protocols.netty.Encryption;
import org.apache.james.util.Size;
import org.epost.peer.imap.framing.FramingImapRequestDecoder;
import org.epost.peer.imap.framing.FramingLimits;
import org.epost.peer.imap.framing.LiteralScratch;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;

/**
 * James 3.8.1's IMAP server with one part of its Netty pipeline replaced: the line framer and
 * {@code ImapRequestFrameDecoder}, which lose or misparse a command pipelined after a literal (several
 * {@code APPEND ... {n+}} in one read, as mbsync sends them), give way to {@link FramingImapRequestDecoder}.
 * Everything else — TLS, STARTTLS, COMPRESS, connection limits, PROXY, timeouts, James's core handler and every
 * command processor — is James's own: James builds its pipeline, then the two handlers are swapped, and
 * {@link OrderedResponseWrites} is added last so that responses written from several threads keep their order.
 */
public class EpostImapServer extends IMAPServer {
    private static final OrderedResponseWrites ORDERED_WRITES = new OrderedResponseWrites();

    private final ImapDecoder decoder;
    private final LiteralScratch scratch;
    /** Where {@link OrderedResponseWrites} runs: one of its executors per connection, threads that only queue writes. */
    private final EventExecutorGroup responseOrdering =
        new DefaultEventExecutorGroup(2, new DefaultThreadFactory("imap-response-order", true));
    private FramingLimits limits;

    public EpostImapServer(ImapDecoder decoder, ImapEncoder encoder, ImapProcessor processor, ImapMetrics imapMetrics,
                           GaugeRegistry gaugeRegistry, LiteralScratch scratch) {
        super(decoder, encoder, processor, imapMetrics, gaugeRegistry);
        this.decoder = decoder;
        this.scratch = scratch;
    }

    /** James's own reading of the three keys (its fields are private), so they mean what they mean in James. */
    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        refuseCompression(configuration);
        super.doConfigure(configuration);
        limits = limitsOf(configuration);
    }

    /**
     * COMPRESS (RFC 4978) is refused at start: James answers it and then adds its zlib handlers in one step, and with
     * every write going through {@link OrderedResponseWrites} that answer would reach the client compressed.
     */
    static void refuseCompression(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        if (configuration.getBoolean("compress", false)) {
            throw new ConfigurationException("imapserver.xml: <compress>true</compress> is not supported by ePOST's"
                + " IMAP server (its answer to COMPRESS would be compressed); remove it");
        }
    }

    static FramingLimits limitsOf(HierarchicalConfiguration<ImmutableNode> configuration) {
        int maxLineLength = configuration.getInt("maxLineLength", DEFAULT_MAX_LINE_LENGTH);
        int inMemory = Optional.ofNullable(configuration.getString("inMemorySizeLimit", null))
            .map(Size::parse)
            .map(Size::asBytes)
            .map(Math::toIntExact)
            .orElse(FramingLimits.DEFAULT_IN_MEMORY_LIMIT);
        int literal = Optional.ofNullable(configuration.getString("literalSizeLimit", null))
            .map(Size::parse)
            .map(Size::asBytes)
            .map(Math::toIntExact)
            .orElse(DEFAULT_LITERAL_SIZE_LIMIT);
        return FramingLimits.fromJamesSettings(maxLineLength, inMemory, literal);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    protected AbstractChannelPipelineFactory createPipelineFactory() {
        AbstractChannelPipelineFactory james = super.createPipelineFactory();
        return new AbstractChannelPipelineFactory(getFrameHandlerFactory(), getExecutorGroup()) {
            @Override
            protected ChannelInboundHandlerAdapter createHandler() {
                return createCoreHandler();
            }

            @Override
            public void initChannel(Channel channel) {
                // James's initializer is itself a handler: added to a registered channel it builds James's pipeline
                // at once and removes itself; then the decoder is swapped.
                channel.pipeline().addLast(james);
                replaceRequestDecoder(channel.pipeline(), new FramingImapRequestDecoder(decoder, limits, scratch));
                channel.pipeline().addLast(responseOrdering, OrderedResponseWrites.NAME, ORDERED_WRITES);
            }
        };
    }

    /** STARTTLS's answer reaches the wire through {@link OrderedResponseWrites}: see {@link StartTlsAfterQueuedWrites}. */
    @Override
    protected Encryption getEncryption() {
        return StartTlsAfterQueuedWrites.of(super.getEncryption());
    }

    /** James's TLS context, without the session tickets offlineimap3 hangs on: see {@link NoPostHandshakeTickets}. */
    @Override
    protected void buildSSLContext() throws Exception {
        super.buildSSLContext();
        NoPostHandshakeTickets.applyTo(encryption);
    }

    @Override
    public synchronized void unbind() {
        super.unbind();
        responseOrdering.shutdownGracefully();
    }

    static void replaceRequestDecoder(ChannelPipeline pipeline, FramingImapRequestDecoder ours) {
        if (!(pipeline.get(NettyConstants.REQUEST_DECODER) instanceof ImapRequestFrameDecoder)
                || pipeline.get(NettyConstants.FRAMER) == null) {
            // Another James version built another pipeline: refuse the connection rather than guess.
            throw new IllegalStateException("James's IMAP pipeline has no " + NettyConstants.FRAMER + " and "
                + NettyConstants.REQUEST_DECODER + " to replace: " + pipeline.names());
        }
        pipeline.remove(NettyConstants.FRAMER);
        pipeline.replace(NettyConstants.REQUEST_DECODER, NettyConstants.REQUEST_DECODER, ours);
    }
}

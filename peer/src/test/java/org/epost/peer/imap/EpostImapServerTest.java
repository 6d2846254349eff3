package org.epost.peer.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.imap.main.DefaultImapDecoderFactory;
import org.apache.james.imapserver.netty.ImapRequestFrameDecoder;
import org.apache.james.imapserver.netty.NettyConstants;
import org.apache.james.imapserver.netty.SwitchableLineBasedFrameDecoder;
import org.epost.peer.imap.framing.FramingImapRequestDecoder;
import org.epost.peer.imap.framing.FramingLimits;
import org.epost.peer.imap.framing.LiteralScratch;
import org.junit.jupiter.api.Test;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

class EpostImapServerTest {
    private final FramingImapRequestDecoder ours = new FramingImapRequestDecoder(DefaultImapDecoderFactory.createDecoder(),
        FramingLimits.fromJamesSettings(65536, 0, 0), new LiteralScratch(Path.of("/tmp"), 1 << 30));

    @Test
    void limitsAreJamessSettingsWithJamessDefaultsButOneMebibyteInMemory() {
        BaseHierarchicalConfiguration conf = new BaseHierarchicalConfiguration();
        assertThat(EpostImapServer.limitsOf(conf))
            .isEqualTo(new FramingLimits(65536, 4 * 65536, 1024 * 1024, Integer.MAX_VALUE));
        assertThat(FramingLimits.fromJamesSettings(65536, 0, 0)).isEqualTo(EpostImapServer.limitsOf(conf));

        conf.addProperty("maxLineLength", 8192);
        conf.addProperty("inMemorySizeLimit", "2M");
        conf.addProperty("literalSizeLimit", "20M");
        assertThat(EpostImapServer.limitsOf(conf))
            .isEqualTo(new FramingLimits(8192, 4 * 8192, 2 * 1024 * 1024, 20 * 1024 * 1024));
    }

    @Test
    void compressionIsRefusedAtStartWithTheReason() throws Exception {
        BaseHierarchicalConfiguration conf = new BaseHierarchicalConfiguration();
        EpostImapServer.refuseCompression(conf);
        conf.addProperty("compress", "true");
        assertThatThrownBy(() -> EpostImapServer.refuseCompression(conf))
            .isInstanceOf(org.apache.commons.configuration2.ex.ConfigurationException.class)
            .hasMessageContaining("<compress>true</compress>");
    }

    @Test
    void jamessFramerAndDecoderAreReplacedUnderJamessName() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(NettyConstants.FRAMER, new SwitchableLineBasedFrameDecoder(channel.pipeline(), 65536, false));
        channel.pipeline().addLast(NettyConstants.REQUEST_DECODER,
            new ImapRequestFrameDecoder(DefaultImapDecoderFactory.createDecoder(), 0, 0, 65536));
        channel.pipeline().addLast(NettyConstants.CORE_HANDLER, new ChannelInboundHandlerAdapter());

        EpostImapServer.replaceRequestDecoder(channel.pipeline(), ours);

        assertThat(channel.pipeline().get(NettyConstants.FRAMER)).isNull();
        assertThat(channel.pipeline().get(NettyConstants.REQUEST_DECODER)).isSameAs(ours);
        assertThat(channel.pipeline().names()).containsSubsequence(NettyConstants.REQUEST_DECODER, NettyConstants.CORE_HANDLER);
    }

    @Test
    void anotherPipelineIsRefused() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(NettyConstants.CORE_HANDLER, new ChannelInboundHandlerAdapter());

        assertThatThrownBy(() -> EpostImapServer.replaceRequestDecoder(channel.pipeline(), ours))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("requestDecoder");
    }
}

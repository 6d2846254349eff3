package org.epost.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.epost.overlay.cli.CommandLines;
import org.junit.jupiter.api.Test;

import picocli.CommandLine.ParameterException;

class OverlayNodeMainTest {
    private static final String[] AS_LOCAL_OVERLAY_RING_STARTS_IT = {"--listen", "127.0.0.1:31001", "--bootstrap",
        "127.0.0.1:31001,127.0.0.1:31002", "--credentials", "node0/node.p12", "--password-file", "node0/password",
        "--store", "node0/store"};

    @Test
    void readsTheLineLocalOverlayRingStartsItWith() {
        OverlayNodeConfig config = CommandLines.parse(new OverlayNodeMain(), AS_LOCAL_OVERLAY_RING_STARTS_IT).config();
        assertThat(config.listen().getPort()).isEqualTo(31001);
        assertThat(config.advertisedAddress()).isEqualTo("127.0.0.1:31001");
        assertThat(config.bootstrap()).containsExactly("127.0.0.1:31001", "127.0.0.1:31002");
        assertThat(config.blockStore()).isEqualTo(Path.of("node0/store"));
        assertThat(config.store().quotaBytes()).isEqualTo(1L << 30);
    }

    @Test
    void aMissingFlagABadAddressOrQuotaIsAUsageError() {
        assertThatThrownBy(() -> CommandLines.parse(new OverlayNodeMain(), "--listen", "127.0.0.1:1"))
            .isInstanceOf(ParameterException.class).hasMessageContaining("--credentials");
        String[] badAddress = AS_LOCAL_OVERLAY_RING_STARTS_IT.clone();
        badAddress[1] = "no-port";
        assertThatThrownBy(() -> CommandLines.parse(new OverlayNodeMain(), badAddress).config())
            .isInstanceOf(ParameterException.class).hasMessageContaining("not HOST:PORT: no-port");
        String[] withQuota = java.util.Arrays.copyOf(AS_LOCAL_OVERLAY_RING_STARTS_IT, 12);
        withQuota[10] = "--quota";
        withQuota[11] = "-5";
        assertThatThrownBy(() -> CommandLines.parse(new OverlayNodeMain(), withQuota).config())
            .isInstanceOf(ParameterException.class).hasMessageContaining("quota -5");
        assertThat(CommandLines.execute(new OverlayNodeMain(), "--bogus")).isEqualTo(2);
    }
}

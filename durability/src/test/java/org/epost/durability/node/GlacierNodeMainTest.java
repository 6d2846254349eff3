package org.epost.durability.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.epost.durability.glacier.GlacierConfig;
import org.epost.overlay.cli.CommandLines;
import org.junit.jupiter.api.Test;

import picocli.CommandLine.ParameterException;

class GlacierNodeMainTest {
    /** As {@link GlacierProcessRing} starts a node, with the ring benchmark's node arguments. */
    private static String[] asTheProcessRingStartsIt(String code) {
        return new String[] {"--listen", "127.0.0.1:31010", "--bootstrap", "127.0.0.1:31009,127.0.0.1:31010",
            "--credentials", "n/node.p12", "--password-file", "n/password", "--dir", "n/data", "--code", code,
            "--audit-interval", "20000"};
    }

    @Test
    void readsTheLineTheProcessRingStartsItWith() {
        GlacierConfig config = CommandLines.parse(new GlacierNodeMain(), asTheProcessRingStartsIt("20/4"))
            .glacierConfig();
        assertThat(config.code().n()).isEqualTo(20);
        assertThat(config.code().m()).isEqualTo(4);
        assertThat(config.auditIntervalMillis()).isEqualTo(20_000);
    }

    @Test
    void aBadCodeOrAMissingFlagIsAUsageError() {
        assertThatThrownBy(() -> CommandLines.parse(new GlacierNodeMain(), asTheProcessRingStartsIt("20")).glacierConfig())
            .isInstanceOf(ParameterException.class).hasMessageContaining("--code is N/M: 20");
        assertThatThrownBy(() -> CommandLines.parse(new GlacierNodeMain(), asTheProcessRingStartsIt("a/b")).glacierConfig())
            .isInstanceOf(ParameterException.class);
        assertThatThrownBy(() -> CommandLines.parse(new GlacierNodeMain(), "--listen", "127.0.0.1:1", "--code", "20/4"))
            .isInstanceOf(ParameterException.class).hasMessageContaining("--dir");
        assertThat(CommandLines.execute(new GlacierNodeMain(), "--help")).isZero();
    }
}

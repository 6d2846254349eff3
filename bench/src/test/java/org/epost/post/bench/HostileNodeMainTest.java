package org.epost.post.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.epost.overlay.cli.CommandLines;
import org.epost.overlay.node.OverlayNodeConfig;
import org.junit.jupiter.api.Test;

import picocli.CommandLine.ParameterException;

class HostileNodeMainTest {
    /** As {@code it-tests/bench/attack_bench.py} starts the hostile node. */
    private static String[] asTheAttackHarnessStartsIt(String bootstrap, String attack) {
        return new String[] {"--listen", "127.0.0.1:31020", "--bootstrap", bootstrap, "--credentials", "h/node.p12",
            "--password-file", "h/password", "--store", "h/store", "--victim", "127.0.0.1:31021", "--attack", attack,
            "--seconds", "180", "--connections", "2000"};
    }

    @Test
    void readsTheAttackHarnesssLine() {
        OverlayNodeConfig config = CommandLines.parse(new HostileNodeMain(),
            asTheAttackHarnessStartsIt("127.0.0.1:31021", "delegate")).config();
        assertThat(config.bootstrap()).containsExactly("127.0.0.1:31021");
        assertThat(config.listen().getPort()).isEqualTo(31020);
    }

    @Test
    void anUnknownAttackOrNoRingToJoinIsAUsageError() {
        assertThatThrownBy(() -> CommandLines.parse(new HostileNodeMain(),
            asTheAttackHarnessStartsIt("127.0.0.1:31021", "meteor")).config())
            .isInstanceOf(ParameterException.class).hasMessageContaining("unknown --attack meteor");
        assertThatThrownBy(() -> CommandLines.parse(new HostileNodeMain(), asTheAttackHarnessStartsIt("", "past"))
            .config()).isInstanceOf(ParameterException.class).hasMessageContaining("missing --bootstrap");
        assertThat(CommandLines.execute(new HostileNodeMain(), "--attack", "past")).isEqualTo(2);
        assertThat(CommandLines.execute(new HostileNodeMain(), "--help")).isZero();
    }
}

package org.epost.durability.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.epost.overlay.cli.CommandLines;
import org.junit.jupiter.api.Test;

import picocli.CommandLine.ParameterException;

/** The command lines of {@code epost-bench-glacier} and {@code epost-bench-glacier-ring}, as README runs them. */
class GlacierBenchmarksTest {
    @Test
    void theRingBenchmarkReadsReadmesLineAndRefusesABadCode() {
        GlacierRingBenchmark bench = CommandLines.parse(new GlacierRingBenchmark(), "--processes", "10", "--objects",
            "1000", "--size", "2048", "--code", "20/4", "--audit-seconds", "20", "--minutes", "16",
            "--settle-minutes", "5", "--fail", "0.6");
        assertThat(bench.parameters().n()).isEqualTo(20);
        assertThat(bench.parameters().failFraction()).isEqualTo(0.6);
        assertThatThrownBy(() -> CommandLines.parse(new GlacierRingBenchmark(), "--code", "20-4").parameters())
            .isInstanceOf(ParameterException.class).hasMessageContaining("N/M");
        assertThat(CommandLines.execute(new GlacierRingBenchmark(), "--processes")).isEqualTo(2);
        assertThat(CommandLines.execute(new GlacierRingBenchmark(), "--help")).isZero();
    }

    @Test
    void theCodecBenchmarkTakesItsDocumentedFlagsOnly() {
        CommandLines.parse(new GlacierBenchmark(), "--object-bytes", "1024", "--rounds", "2", "--nodes", "100",
            "--seed", "3", "--fail", "0.5", "--correlated", "--objects", "5");
        assertThat(CommandLines.execute(new GlacierBenchmark(), "--rounds", "two")).isEqualTo(2);
        assertThat(CommandLines.execute(new GlacierBenchmark(), "--bogus")).isEqualTo(2);
        assertThat(CommandLines.execute(new GlacierBenchmark(), "--help")).isZero();
    }
}

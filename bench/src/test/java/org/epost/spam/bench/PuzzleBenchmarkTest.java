package org.epost.spam.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.epost.overlay.cli.CommandLines;
import org.junit.jupiter.api.Test;

/** {@code deploy/bin/epost-bench-puzzle [--solves 40] [--checks 2000]}: its command line, not its run. */
class PuzzleBenchmarkTest {
    @Test
    void takesItsDocumentedFlagsAndRefusesOthers() {
        CommandLines.parse(new PuzzleBenchmark(), "--solves", "40", "--checks", "2000");
        assertThat(CommandLines.execute(new PuzzleBenchmark(), "--solves")).isEqualTo(2);
        assertThat(CommandLines.execute(new PuzzleBenchmark(), "--rounds", "3")).isEqualTo(2);
        assertThat(CommandLines.execute(new PuzzleBenchmark(), "--solves", "0")).isEqualTo(2);
        assertThat(CommandLines.execute(new PuzzleBenchmark(), "--help")).isZero();
    }
}

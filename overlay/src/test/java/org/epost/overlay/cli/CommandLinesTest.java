package org.epost.overlay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

class CommandLinesTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Command(name = "tool", subcommands = Sub.class)
    static final class Tool implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--count", required = true)
        int count;
        @Option(names = "--switch")
        boolean on;

        @Override
        public Integer call() {
            if (count < 0) {
                throw CommandLines.invalid(spec, "--count must not be negative");
            }
            spec.commandLine().getOut().println("count=" + count + " switch=" + on);
            return 0;
        }
    }

    @Command(name = "sub")
    static final class Sub implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("failed on purpose");
        }
    }

    private int run(String... args) {
        return CommandLines.execute(CommandLines.of(new Tool()), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    @Test
    void runsWithTheGivenFlagsTheLastOfARepeatedOneWinning() {
        assertThat(run("--count", "3", "--switch", "--count", "4")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("count=4 switch=true" + System.lineSeparator());
    }

    @Test
    void helpPrintsTheUsageOnStdoutAndSucceeds() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: tool", "--count", "--switch", "--help");
        assertThat(run("--count", "1", "sub", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: tool sub");
    }

    @Test
    void anUnknownFlagAMissingOneOrABadValueIsAUsageErrorNamingIt() {
        assertThat(run("--count", "1", "--bogus")).isEqualTo(CommandLines.USAGE).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option: '--bogus'", "Usage: tool");
        assertThat(run("--switch")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--count");
        assertThat(run("--count", "many")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Invalid value for option '--count'", "many");
        assertThat(run("--count")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aValueOutOfRangeIsAUsageErrorAndAFailureWhileRunningIsStatusOne() {
        assertThat(run("--count", "-1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--count must not be negative", "Usage: tool");
        assertThat(run("--count", "1", "sub")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("failed on purpose");
    }
}

package org.epost.overlay.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * How every ePOST tool (simulators, stand-alone nodes, benchmarks, {@code epost-admin}) reads its command line:
 * a picocli {@code @Command} object, with {@code --help} added to it and to each of its subcommands. An unknown
 * option, a missing required one or a value that does not convert is reported on stderr with the usage and ends
 * with status {@value #USAGE}; {@code --help} prints the usage and ends with 0. A flag given twice keeps its last
 * value, as the hand-written parsers this replaces did (scripts append overrides to default argument lists).
 */
public final class CommandLines {
    /** The exit status of a command line that could not be read. */
    public static final int USAGE = CommandLine.ExitCode.USAGE;

    private CommandLines() {
    }

    /** The picocli command line of {@code command}, with {@code --help} and ePOST's parsing rules. */
    public static CommandLine of(Object command) {
        CommandLine line = new CommandLine(command);
        addHelp(line);
        line.setOverwrittenOptionsAllowed(true);
        return line;
    }

    /** Reads {@code args} into {@code command} and runs it; answers the exit status. */
    public static int execute(Object command, String... args) {
        return of(command).execute(args);
    }

    /** Reads {@code args} into {@code command} and runs it, printing to {@code out} and {@code err}. */
    public static int execute(CommandLine line, PrintStream out, PrintStream err, String... args) {
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return line.execute(args);
    }

    /**
     * Reads {@code args} into {@code command} without running it (for tests of the parsing); a line that cannot be
     * read is a {@link ParameterException}.
     */
    public static <T> T parse(T command, String... args) {
        of(command).parseArgs(args);
        return command;
    }

    /** A value that converted but is out of range: reported like any other bad option (usage, status 2). */
    public static ParameterException invalid(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void addHelp(CommandLine line) {
        line.getCommandSpec().addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
            .description("Show this help and exit.").build());
        line.getSubcommands().values().forEach(CommandLines::addHelp);
    }
}

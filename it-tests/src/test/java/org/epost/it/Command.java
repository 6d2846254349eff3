package org.epost.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external program (epost-ring, swaks, python, the James CLI) to completion and keeps what it printed. */
final class Command {
    /** What a finished program left behind. */
    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }

        Result assertSuccess(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " exited with " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr);
            }
            return this;
        }
    }

    private Command() {
    }

    /**
     * Runs {@code command} in {@code directory}. {@code deadline} only bounds a hung program so that a broken build
     * fails instead of stalling CI; it is far above what any of them needs, and nothing asserts on speed.
     */
    static Result run(Path directory, Duration deadline, List<String> command) throws IOException, InterruptedException {
        return run(directory, deadline, command, java.util.Map.of());
    }

    /** {@link #run(Path, Duration, List)} with {@code environment} added to this JVM's. */
    static Result run(Path directory, Duration deadline, List<String> command, java.util.Map<String, String> environment)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("epost-it", ".out");
        Path err = Files.createTempFile("epost-it", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
            if (!process.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("Still running after " + deadline + ": " + command
                    + "\n--- stdout\n" + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

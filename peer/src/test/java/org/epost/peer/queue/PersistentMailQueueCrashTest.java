package org.epost.peer.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ePOST peer's mail queue loses no mail it acknowledged when the process is killed with SIGKILL: a child JVM
 * enqueues mails and is killed mid-stream; a second JVM on the same directory must dequeue every acknowledged one.
 */
class PersistentMailQueueCrashTest {
    private static final int ACKS_BEFORE_KILL = 40;

    @Test
    void everyAcknowledgedMailSurvivesKillMinusNine(@TempDir Path workingDirectory) throws Exception {
        Files.createDirectories(workingDirectory.resolve("conf"));
        Files.createDirectories(workingDirectory.resolve("var"));

        Process writer = probe("enqueue", workingDirectory, List.of());
        Set<String> acknowledged = new LinkedHashSet<>();
        try (BufferedReader lines = reader(writer)) {
            String line;
            while (acknowledged.size() < ACKS_BEFORE_KILL && (line = lines.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acknowledged.add(line.substring(4));
                }
            }
            writer.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no broker stop
            writer.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(acknowledged).as("mails acknowledged before the kill").hasSize(ACKS_BEFORE_KILL);

        Process reader = probe("drain", workingDirectory, new ArrayList<>(acknowledged));
        Set<String> drained = new LinkedHashSet<>();
        boolean finished = false;
        try (BufferedReader lines = reader(reader)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("GOT ")) {
                    drained.add(line.substring(4));
                } else if (line.equals("DRAINED")) {
                    finished = true;
                }
            }
        }
        reader.waitFor(60, TimeUnit.SECONDS);

        assertThat(finished).as("the drain found every acknowledged mail before its deadline").isTrue();
        assertThat(drained).containsAll(acknowledged);
    }

    private static Process probe(String mode, Path workingDirectory, List<String> names) throws Exception {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp", System.getProperty("java.class.path"),
            QueueCrashProbe.class.getName(), mode, workingDirectory.toString()));
        command.addAll(names);
        return new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(workingDirectory.resolve("probe-" + mode + ".log").toFile()))
            .directory(new File(workingDirectory.toString()))
            .start();
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }
}

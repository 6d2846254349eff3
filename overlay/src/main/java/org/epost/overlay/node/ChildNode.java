package org.epost.overlay.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A node running in a child process of a harness ({@link OverlayNodeMain} and the nodes built like it), driven over
 * its standard input and output: one command per line, an answer of lines ending with a known prefix. Its progress
 * lines ({@code READY}, {@code LISTENING ...}) are not part of answers.
 */
public final class ChildNode {
    private final Process process;
    private final String address;
    private final Duration answerTimeout;
    private final PrintWriter commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    /** Reads {@code process}'s output from now on (a daemon thread named after {@code address}). */
    public ChildNode(Process process, String address, Duration answerTimeout) {
        this.process = process;
        this.address = address;
        this.answerTimeout = answerTimeout;
        this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("CLOSED " + e.getMessage());
            }
        }, "child-node-" + address);
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends {@code command}; the answer's lines up to the first starting with {@code lastLinePrefix}. */
    public synchronized List<String> ask(String command, String lastLinePrefix) throws InterruptedException {
        commands.println(command);
        List<String> answer = new ArrayList<>();
        while (true) {
            String line = lines.poll(answerTimeout.toSeconds(), TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException(address + " did not answer '" + command + "'");
            }
            if (line.equals("READY") || line.startsWith("LISTENING")) {
                continue;
            }
            answer.add(line);
            if (line.startsWith(lastLinePrefix)) {
                return answer;
            }
        }
    }

    public String address() {
        return address;
    }

    public Process process() {
        return process;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Asks the node to quit (it stops at the end of its input too). */
    public void quit() {
        commands.println("quit");
        commands.close();
    }

    /** Waits up to {@code timeout} for the process to end after {@link #quit()}, then kills it. */
    public void awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

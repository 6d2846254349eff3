package org.epost.overlay.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.security.NodeCredentials;

/**
 * The line protocol of a stand-alone node process ({@link OverlayNodeMain} and the nodes built like it), which a
 * harness drives over the process's standard input ({@link ChildNode}): the process prints {@code LISTENING <node id>}
 * once listening and {@code READY} once in a ring, then answers {@code status} ({@code STATUS ready=.. leafset=..
 * ring=..}), {@code quit} and the commands its main adds, one line each; anything else gets {@code ERROR}. It stops
 * when its input closes.
 */
public final class NodeConsole {
    /** One command: prints its answer. */
    public interface Command {
        void answer(PrintStream out) throws Exception;
    }

    private final OverlayNode node;
    private final Map<String, Command> commands = new LinkedHashMap<>();

    private NodeConsole(OverlayNode node, long waitSeconds) {
        this.node = node;
        commands.put("status", out -> {
            RingStatus status = node.status().get(waitSeconds, TimeUnit.SECONDS);
            out.println("STATUS ready=" + status.ready() + " leafset=" + status.leafSet().size()
                + " ring=" + status.ringSizeEstimate());
        });
    }

    /** A console for {@code node} whose commands wait at most {@code waitSeconds} for the node's answer. */
    public static NodeConsole of(OverlayNode node, long waitSeconds) {
        return new NodeConsole(node, waitSeconds);
    }

    /** Adds (or replaces) the command answering {@code name}. */
    public NodeConsole with(String name, Command command) {
        commands.put(name, command);
        return this;
    }

    /** Every block key in the node's PAST store. */
    public List<BlockKey> storedKeys() {
        List<BlockKey> keys = new ArrayList<>();
        node.past().store().forEachInRange(Id.fromHex("0".repeat(40)), Id.fromHex("f".repeat(40)), keys::add);
        return keys;
    }

    /** Announces the node, joins the ring and answers commands from {@code in} until {@code quit} or its end. */
    public void run(NodeCredentials credentials, InputStream in, PrintStream out) throws Exception {
        out.println("LISTENING " + credentials.nodeId().toHex());
        node.onNodeThread(() -> {
            node.pastry().whenReady(() -> out.println("READY"));
            return null;
        }).get();
        node.join();
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            String name = line.trim();
            if (name.equals("quit")) {
                return;
            }
            Command command = commands.get(name);
            if (command == null) {
                out.println("ERROR unknown command '" + line + "'");
            } else {
                command.answer(out);
            }
        }
    }

    /** A {@code HOST:PORT} argument as a socket address. */
    public static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not HOST:PORT: " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** A comma-separated {@code --bootstrap} list, empty entries left out. */
    public static List<String> bootstrap(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The node's credentials, unlocked with the first line of the password file. */
    public static NodeCredentials credentials(String credentialsFile, String passwordFile) throws IOException {
        char[] password = Files.readAllLines(Path.of(passwordFile)).get(0).trim().toCharArray();
        return NodeCredentials.load(Path.of(credentialsFile), password);
    }
}

package org.epost.overlay.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.security.OrganizationAuthority;

/**
 * Overlay nodes in separate processes on loopback ({@link OverlayNodeMain}), all certified by one authority and
 * bootstrapping from each other: the real network for multi-process tests and benchmarks. An in-process node joins
 * them with {@link #credentialsForLocalNode} and {@link #addresses()}.
 */
public final class LocalOverlayRing implements AutoCloseable {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    /** One child process and its line-based control channel. */
    private final Path directory;
    private final OrganizationAuthority authority;
    private final List<String> addresses;
    private final List<ChildNode> members = new ArrayList<>();
    private final String localAddress;

    private LocalOverlayRing(Path directory, OrganizationAuthority authority, List<String> addresses, String localAddress) {
        this.directory = directory;
        this.authority = authority;
        this.addresses = addresses;
        this.localAddress = localAddress;
    }

    /**
     * Starts {@code processes} nodes with the JVM and classpath of this one, and reserves one more address for an
     * in-process node ({@link #localAddress()}).
     */
    public static LocalOverlayRing launch(Path directory, int processes) throws Exception {
        Instant notBefore = Instant.now().minus(Duration.ofHours(1));
        OrganizationAuthority authority = OrganizationAuthority.create("Local overlay ring", notBefore, Duration.ofDays(2));
        List<String> addresses = freeLoopbackAddresses(processes + 1);
        LocalOverlayRing ring = new LocalOverlayRing(directory, authority, addresses.subList(0, processes + 1),
            addresses.get(processes));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < processes; i++) {
            Path home = directory.resolve("node" + i);
            Files.createDirectories(home);
            Path passwordFile = Files.writeString(home.resolve("password"), "node-" + i + "\n");
            authority.issueNodeCredentials("node" + i, notBefore, Duration.ofDays(2))
                .save(home.resolve("node.p12"), ("node-" + i).toCharArray());
            Process process = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                OverlayNodeMain.class.getName(),
                "--listen", addresses.get(i), "--bootstrap", String.join(",", addresses),
                "--credentials", home.resolve("node.p12").toString(), "--password-file", passwordFile.toString(),
                "--store", home.resolve("store").toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("stderr.log").toFile()))
                .start();
            ring.members.add(new ChildNode(process, addresses.get(i), ANSWER_TIMEOUT));
        }
        return ring;
    }

    /** Every node's address, the in-process node's last: the bootstrap list. */
    public List<String> addresses() {
        return addresses;
    }

    public String localAddress() {
        return localAddress;
    }

    public NodeCredentials credentialsForLocalNode() {
        return authority.issueNodeCredentials("local", Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(2));
    }

    public int processes() {
        return members.size();
    }

    public boolean alive(int index) {
        return members.get(index).alive();
    }

    /** The "STATUS ..." line of child {@code index}. */
    public String status(int index) throws InterruptedException {
        return members.get(index).ask("status", "STATUS").get(0);
    }

    /** The blocks child {@code index} holds, as "KIND:handle". */
    public Set<String> held(int index) throws InterruptedException {
        Set<String> held = new LinkedHashSet<>();
        for (String line : members.get(index).ask("held", "END")) {
            if (line.startsWith("HELD ")) {
                held.add(line.substring(5));
            }
        }
        return held;
    }

    /** Waits until every live child reports being in a ring of {@code size} nodes. */
    public void awaitRing(int size, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < members.size(); i++) {
            while (alive(i)) {
                String status = status(i);
                if (status.contains("ready=true") && status.endsWith("ring=" + size)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node" + i + " is not in a ring of " + size + ": " + status);
                }
                Thread.sleep(200);
            }
        }
    }

    /** SIGKILL: the process dies without closing anything. */
    public void kill(int index) throws InterruptedException {
        Process process = members.get(index).process();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() throws InterruptedException {
        for (ChildNode member : members) {
            member.quit();
        }
        for (ChildNode member : members) {
            member.awaitExit(Duration.ofSeconds(20));
        }
    }

    private static List<String> freeLoopbackAddresses(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(socket -> "127.0.0.1:" + socket.getLocalPort()).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}

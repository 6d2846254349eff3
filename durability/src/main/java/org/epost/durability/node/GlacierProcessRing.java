package org.epost.durability.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.epost.overlay.node.ChildNode;
import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.security.OrganizationAuthority;

/**
 * {@link GlacierNodeMain} processes on loopback, certified by one authority, on consecutive ports from a base the
 * caller owns: the real ring of the Glacier benchmark. Members can be added later (they join through the live ones)
 * and killed with SIGKILL, their directories wiped.
 */
public final class GlacierProcessRing implements AutoCloseable {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(300);
    private static final int LEAF_SET_SIZE = 16;

    /** One member process and its directory. */
    public static final class Member {
        final ChildNode node;
        final Path home;

        Member(Process process, String address, Path home) {
            this.node = new ChildNode(process, address, ANSWER_TIMEOUT);
            this.home = home;
        }

        /** Sends {@code command}; the answer's lines up to the first starting with {@code lastLinePrefix}. */
        public List<String> ask(String command, String lastLinePrefix) throws InterruptedException {
            return node.ask(command, lastLinePrefix);
        }

        public boolean alive() {
            return node.alive();
        }

        public String address() {
            return node.address();
        }
    }

    private final Path directory;
    private final int basePort;
    private final List<String> nodeArguments;
    private final Instant notBefore = Instant.now().minus(Duration.ofHours(1));
    private final OrganizationAuthority authority =
        OrganizationAuthority.create("Glacier ring", notBefore, Duration.ofDays(2));
    private final List<Member> members = new ArrayList<>();
    private int nextIndex;

    /**
     * @param basePort      member i listens on basePort + i; the port just below is the caller's in-process node
     * @param nodeArguments further arguments of every {@link GlacierNodeMain} (its code, audit interval)
     */
    public GlacierProcessRing(Path directory, int basePort, List<String> nodeArguments) {
        this.directory = directory;
        this.basePort = basePort;
        this.nodeArguments = List.copyOf(nodeArguments);
    }

    public String localAddress() {
        return "127.0.0.1:" + (basePort - 1);
    }

    public NodeCredentials credentialsForLocalNode() {
        return authority.issueNodeCredentials("local", notBefore, Duration.ofDays(2));
    }

    /** Starts {@code count} more members, bootstrapping through {@code bootstrap} (and each other). */
    public List<Member> add(int count, List<String> bootstrap) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> addresses = new ArrayList<>(bootstrap);
        for (int i = 0; i < count; i++) {
            addresses.add("127.0.0.1:" + (basePort + nextIndex + i));
        }
        List<Member> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = nextIndex++;
            String address = "127.0.0.1:" + (basePort + index);
            Path home = directory.resolve("node" + index);
            Files.createDirectories(home);
            Path passwordFile = Files.writeString(home.resolve("password"), "node-" + index + "\n");
            authority.issueNodeCredentials("node" + index, notBefore, Duration.ofDays(2))
                .save(home.resolve("node.p12"), ("node-" + index).toCharArray());
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-Xss512k", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), GlacierNodeMain.class.getName(),
                "--listen", address, "--bootstrap", String.join(",", addresses),
                "--credentials", home.resolve("node.p12").toString(), "--password-file", passwordFile.toString(),
                "--dir", home.resolve("data").toString()));
            command.addAll(nodeArguments);
            // The children log as this JVM does (to stderr): their stdout is the control channel.
            String logging = System.getProperty("logback.configurationFile");
            if (logging != null) {
                command.add(1, "-Dlogback.configurationFile=" + logging);
            }
            Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("stderr.log").toFile()))
                .start();
            Member member = new Member(process, address, home);
            members.add(member);
            added.add(member);
        }
        return added;
    }

    public List<Member> live() {
        return members.stream().filter(Member::alive).toList();
    }

    /** SIGKILL, then the member's data directory is deleted: the node and its disk are gone at once. */
    public void killAndWipe(Member member) throws Exception {
        member.node.process().destroyForcibly();
        member.node.process().waitFor(30, TimeUnit.SECONDS);
        Path data = member.home.resolve("data");
        if (Files.exists(data)) {
            try (Stream<Path> walk = Files.walk(data)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static int leafSet(String status) {
        for (String pair : status.split(" ")) {
            if (pair.startsWith("leafset=")) {
                return Integer.parseInt(pair.substring(8));
            }
        }
        return 0;
    }

    /** Waits until every live member is ready and knows the {@code size - 1} others (up to a full leaf set). */
    public void awaitRing(int size, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Member member : live()) {
            while (member.alive()) {
                String status = member.ask("status", "STATUS").get(0);
                // The leaf set (16) holds everybody on a ring this small; the size estimate is only exact below 10.
                if (status.contains("ready=true") && leafSet(status) >= Math.min(size - 1, LEAF_SET_SIZE)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(member.address() + " is not in a ring of " + size + ": " + status);
                }
                Thread.sleep(500);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Member member : members) {
            member.node.quit();
        }
        for (Member member : members) {
            member.node.awaitExit(Duration.ofSeconds(30));
        }
    }
}

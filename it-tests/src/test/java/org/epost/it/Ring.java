package org.epost.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A local ring driven exactly as an admin drives it: through {@code deploy/bin/epost-ring}. Gives tests the ports
 * from {@code status --json} and small helpers for WebAdmin.
 */
final class Ring {
    static final Path ROOT = Path.of(System.getProperty("epost.root", "..")).toAbsolutePath().normalize();
    static final Path SCRIPT = ROOT.resolve("deploy/bin/epost-ring");
    private static final Duration SCRIPT_DEADLINE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path data;
    private final int basePort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final java.util.Map<String, String> environment;
    private JsonNode status;

    Ring(Path data, int basePort) {
        this(data, basePort, java.util.Map.of());
    }

    /** A ring whose peers run with these JVM options ({@code EPOST_JAVA_OPTS}) instead of the script's defaults. */
    Ring(Path data, int basePort, String javaOptions) {
        this(data, basePort, java.util.Map.of("EPOST_JAVA_OPTS", javaOptions));
    }

    /** A ring whose script runs with {@code environment} added (e.g. {@code EPOST_RING_NO_USER_CA}). */
    static Ring withEnvironment(Path data, int basePort, java.util.Map<String, String> environment) {
        return new Ring(data, basePort, environment);
    }

    private Ring(Path data, int basePort, java.util.Map<String, String> environment) {
        this.data = data;
        this.basePort = basePort;
        this.environment = environment;
    }

    static Path itDataDirectory() {
        return Path.of(System.getProperty("epost.it.data", "target/it-data")).toAbsolutePath();
    }

    Command.Result script(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("--data", data.toString()));
        return Command.run(ROOT, SCRIPT_DEADLINE, command, environment);
    }

    Command.Result up(int peers) throws IOException, InterruptedException {
        Command.Result result = script("up", "--peers", String.valueOf(peers), "--base-port", String.valueOf(basePort))
            .assertSuccess("epost-ring up");
        refreshStatus();
        return result;
    }

    /** Starts {@code peers} peers of unmodified Apache James 3.8.1 ({@code up --stock}): a real MTA outside ePOST. */
    Command.Result upStock(int peers) throws IOException, InterruptedException {
        Command.Result result = script("up", "--stock", "--peers", String.valueOf(peers), "--base-port",
            String.valueOf(basePort)).assertSuccess("epost-ring up --stock");
        refreshStatus();
        return result;
    }

    /** Starts the stopped peers of this ring again, with their data and conf. */
    Command.Result restart() throws IOException, InterruptedException {
        Command.Result result = script("up").assertSuccess("epost-ring up (restart)");
        refreshStatus();
        return result;
    }

    /** Rewrites a file of peer {@code peer}'s {@code conf/} (takes effect at its next start). */
    void editConf(int peer, String file, java.util.function.UnaryOperator<String> edit) throws IOException {
        Path conf = peerDirectory(peer).resolve("conf").resolve(file);
        String before = java.nio.file.Files.readString(conf);
        String after = edit.apply(before);
        if (after.equals(before)) {
            throw new AssertionError("the edit changed nothing in " + conf);
        }
        java.nio.file.Files.writeString(conf, after);
    }

    Command.Result down() throws IOException, InterruptedException {
        return script("down").assertSuccess("epost-ring down");
    }

    JsonNode refreshStatus() throws IOException, InterruptedException {
        status = JSON.readTree(script("status", "--json").assertSuccess("epost-ring status").stdout());
        return status;
    }

    JsonNode peer(int index) {
        return status.get("peers").get(index - 1);
    }

    int port(int peer, String protocol) {
        return peer(peer).get(protocol).asInt();
    }

    Path peerDirectory(int peer) {
        return Path.of(peer(peer).get("data").asText());
    }

    /** Stops peer {@code peer} as an admin would (SIGTERM) and waits until its process is gone. */
    void stopPeer(int peer) throws Exception {
        ProcessHandle process = ProcessHandle.of(peer(peer).get("pid").asLong()).orElseThrow();
        process.destroy();
        process.onExit().get();
    }

    /**
     * Stops peers {@code peers} and starts them again with {@code javaOptions} (e.g. a small heap), the others left
     * running; the ring as restarted.
     */
    Ring restartedWith(String javaOptions, int... peers) throws Exception {
        for (int peer : peers) {
            stopPeer(peer);
        }
        Ring restarted = new Ring(data, basePort, javaOptions);
        restarted.restart();
        return restarted;
    }

    /** Kills peer {@code peer} with SIGKILL (no shutdown of any kind) and waits until its process is gone. */
    void killPeer(int peer) throws Exception {
        ProcessHandle process = ProcessHandle.of(peer(peer).get("pid").asLong()).orElseThrow();
        process.destroyForcibly();
        process.onExit().get();
    }

    String demoPassword() {
        return status.get("password").asText();
    }

    HttpResponse<String> webAdmin(int peer, String method, String path, String jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(peer, "webadmin") + path))
            .timeout(Duration.ofSeconds(30));
        HttpRequest.BodyPublisher body = jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody);
        request.method(method, body);
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode webAdminJson(int peer, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = webAdmin(peer, "GET", path, null);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}

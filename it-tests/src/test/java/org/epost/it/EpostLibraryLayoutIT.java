package org.epost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * What the assembly adds to James's class path (`epost-lib/`) must not fight what James ships: no library James
 * already has (in any version), and no logging binding of its own (James logs through logback; a second SLF4J binding
 * can take its logs away). A library pulling such jars in transitively (as kcp-fec did with slf4j-simple) fails here.
 */
class EpostLibraryLayoutIT {
    private static final Pattern JAR = Pattern.compile("(.+?)-(\\d[^-]*(?:-[A-Za-z0-9.]+)?)\\.jar");
    private static final Set<String> LOGGING_BINDINGS = Set.of("slf4j-simple", "slf4j-log4j12", "slf4j-reload4j",
        "slf4j-jdk14", "slf4j-nop", "logback-classic", "log4j-slf4j-impl", "log4j-slf4j2-impl");

    private final Path home = Path.of(System.getProperty("epost.root", "..")).resolve("deploy/target/epost-james");

    @Test
    void epostLibAddsNoLibraryJamesShipsAndNoLoggingBinding() throws IOException {
        Map<String, String> james = artifacts(home.resolve("james-server-memory-app.lib"));
        Map<String, String> epost = artifacts(home.resolve("epost-lib"));
        assertThat(james).as("James's own libraries").containsKey("netty-buffer");
        assertThat(epost).as("ePOST's libraries").containsKeys("epost-peer", "epost-post", "epost-durability");

        assertThat(epost.keySet()).as("libraries of epost-lib that James already ships")
            .doesNotContainAnyElementsOf(james.keySet());
        assertThat(epost.keySet()).as("logging bindings in epost-lib").doesNotContainAnyElementsOf(LOGGING_BINDINGS);
    }

    @Test
    void theToolsCommandLineLibraryIsShippedAndTheBenchMainsStayOffThePeersClasspath() throws IOException {
        // picocli reads every tool's command line (epost-admin, epost-sim...): James does not ship it
        assertThat(artifacts(home.resolve("epost-lib"))).containsKey("picocli").doesNotContainKey("epost-bench");
        assertThat(artifacts(home.resolve("bench-lib"))).containsOnlyKeys("epost-bench");
    }

    /** artifactId -> version of every jar in {@code directory}. */
    private static Map<String, String> artifacts(Path directory) throws IOException {
        try (Stream<Path> jars = Files.list(directory)) {
            List<String> names = jars.map(jar -> jar.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                .collect(Collectors.toList());
            return names.stream().map(JAR::matcher).filter(Matcher::matches)
                .collect(Collectors.toMap(m -> m.group(1), m -> m.group(2), (a, b) -> a + "," + b));
        }
    }
}

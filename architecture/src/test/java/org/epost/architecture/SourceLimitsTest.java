package org.epost.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Rules on the sources and poms themselves: small production classes, and lower modules whose poms cannot even put
 * James's server or mailbox on their class path.
 */
class SourceLimitsTest {
    static final int MAX_PRODUCTION_LINES = 600;
    static final Path ROOT = Path.of(System.getProperty("epost.root", "..")).toAbsolutePath().normalize();

    @Test
    void noProductionClassIsOver600Lines() throws IOException {
        Map<String, Long> oversized = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(SourceLimitsTest::isProductionSource).collect(Collectors.toList())) {
                long lines;
                try (Stream<String> content = Files.lines(file)) {
                    lines = content.count();
                }
                if (lines > MAX_PRODUCTION_LINES) {
                    oversized.put(ROOT.relativize(file).toString(), lines);
                }
            }
        }
        assertThat(oversized).as("production sources over %d lines", MAX_PRODUCTION_LINES).isEmpty();
    }

    @Test
    void lowerModulesNameNoJamesServerOrMailboxArtifact() throws IOException {
        for (String module : List.of("overlay", "durability", "post")) {
            String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
            List<String> jamesArtifacts = jamesArtifacts(pom);
            assertThat(jamesArtifacts).as("org.apache.james artifacts in %s/pom.xml", module)
                .allMatch(artifact -> artifact.startsWith("apache-mime4j-"));
        }
    }

    @Test
    void theSourceTreeIsFound() {
        assertThat(ROOT.resolve("post/pom.xml")).exists();
        assertThat(ROOT.resolve("overlay/src/main/java")).isDirectory();
    }

    private static boolean isProductionSource(Path file) {
        String path = file.toString().replace('\\', '/');
        return path.endsWith(".java") && path.contains("/src/main/java/") && !path.contains("/target/");
    }

    /** The artifactIds of dependencies whose groupId is org.apache.james (poms are simple enough to scan). */
    static List<String> jamesArtifacts(String pom) {
        return Stream.of(pom.split("<dependency>")).skip(1)
            .filter(block -> block.contains("<groupId>org.apache.james</groupId>"))
            .map(block -> block.replaceAll("(?s).*<artifactId>([^<]+)</artifactId>.*", "$1").trim())
            .collect(Collectors.toList());
    }
}

package org.epost.post.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15 finding 3: about 200 large delegations used to make a delegate run out of memory on every start (all
 * bodies were loaded). Now 200 notifications of 1 MiB are kept and the store restarted in a JVM with a 32 MiB heap,
 * a sixth of what they weigh; the probe prints its peak heap and RSS.
 */
class DelegateStoreHeapTest {
    private static final int COUNT = 200;
    private static final int BYTES = 1 << 20;

    @TempDir
    Path directory;

    private String run(String phase) throws Exception {
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-cp", System.getProperty("java.class.path"), DelegateStoreHeapProbe.class.getName(),
                phase, directory.resolve("delegated").toString(), String.valueOf(COUNT), String.valueOf(BYTES))
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(5, TimeUnit.MINUTES)).isTrue();
        System.out.println("DelegateStoreHeapProbe " + output.strip());
        assertThat(probe.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void twoHundredLargeDelegationsAndARestartFitInASmallHeap() throws Exception {
        assertThat(run("fill")).contains("fill: " + COUNT + " notifications, " + (long) COUNT * BYTES + " bytes");
        assertThat(run("restart")).contains("restart: " + COUNT + " notifications");
    }
}

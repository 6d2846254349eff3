package org.epost.overlay.past.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit keeps the store's promise: a child JVM writes from several threads at once and is killed with SIGKILL
 * mid-stream; every block whose STORED answer it had received, and every lease it had been granted, is there after
 * reopening, with its exact bytes, and the usage counter matches the entries.
 */
class BlockStoreCrashTest {
    private static final int ACKS_BEFORE_KILL = 400;

    @Test
    void everyAcknowledgedPutAndLeaseSurvivesKillMinusNine(@TempDir Path directory) throws Exception {
        Path storeDirectory = directory.resolve("store");
        long lease = System.currentTimeMillis() + 86_400_000L;
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), StoreCrashProbe.class.getName(),
                storeDirectory.toString(), Long.toString(lease))
                .redirectError(ProcessBuilder.Redirect.appendTo(directory.resolve("probe.log").toFile()))
                .start();
        Map<Id, Long> acknowledged = new HashMap<>();
        Map<Id, Long> leases = new HashMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < ACKS_BEFORE_KILL && (line = lines.readLine()) != null) {
                String[] fields = line.split(" ");
                Id handle = Id.fromHex(fields[1]);
                long value = Long.parseLong(fields[2]);
                if (fields[0].equals("ACK")) {
                    acknowledged.merge(handle, value, Math::max);
                } else {
                    leases.merge(handle, value, Math::max);
                }
            }
            writer.destroyForcibly(); // SIGKILL while puts and syncs are in flight
            writer.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(acknowledged).as("puts acknowledged before the kill").hasSize(ACKS_BEFORE_KILL);

        BlockVerifier verifier = new BlockVerifier(KeyPairGenerator.getInstance("Ed25519").generateKeyPair()
                .getPublic(), System::currentTimeMillis, BlockLimits.DEFAULT, 60_000);
        try (BlockStore store = RocksDbBlockStore.open(storeDirectory, verifier, System::currentTimeMillis,
                StoreConfig.withQuota(1L << 30))) {
            for (Map.Entry<Id, Long> ack : acknowledged.entrySet()) {
                BlockKey key = new BlockKey(ack.getKey(), BlockKind.CONTENT_HASH);
                StoredBlock stored = store.get(key).orElseThrow(() -> new AssertionError("lost " + key));
                assertThat(verifier.verify(stored.encoded(), key).isValid()).as("bytes of %s", key).isTrue();
                assertThat(stored.leaseExpiry()).isGreaterThanOrEqualTo(ack.getValue());
            }
            for (Map.Entry<Id, Long> granted : leases.entrySet()) {
                BlockKey key = new BlockKey(granted.getKey(), BlockKind.CONTENT_HASH);
                assertThat(store.get(key).orElseThrow().leaseExpiry()).as("lease of %s", key)
                        .isGreaterThanOrEqualTo(granted.getValue());
            }
            AtomicLong counted = new AtomicLong();
            store.forEachInRange(Id.of(new byte[Id.BYTES]), Id.fromHex("f".repeat(2 * Id.BYTES)), key ->
                    counted.addAndGet(BlockStore.accountedBytes(store.get(key).orElseThrow().encoded().length)));
            assertThat(store.usedBytes()).as("usage counter matches the entries after the crash")
                    .isEqualTo(counted.get());
            assertThat(counted.get()).isGreaterThanOrEqualTo(
                    (long) ACKS_BEFORE_KILL * BlockStore.accountedBytes(512));
        }
    }
}

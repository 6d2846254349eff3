package org.epost.overlay.past.store;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Random;
import java.util.concurrent.Semaphore;

import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.ContentHashBlock;

/**
 * A child process for {@link BlockStoreCrashTest}: a RocksDB block store as a node runs it, written to by several
 * threads at once through the asynchronous API a node uses, until the test kills it with SIGKILL.
 * {@code StoreCrashProbe DIR LEASE} prints {@code ACK handle lease} once a put's STORED answer arrived (the moment a
 * holder replies to the inserter) and {@code LEASE handle lease} once a lease extension's answer arrived.
 */
public final class StoreCrashProbe {
    static final int WRITERS = 6;

    private StoreCrashProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        long lease = Long.parseLong(args[1]);
        BlockVerifier verifier = new BlockVerifier(
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic(), System::currentTimeMillis,
                BlockLimits.DEFAULT, 60_000);
        BlockStore store = RocksDbBlockStore.open(directory, verifier, System::currentTimeMillis,
                StoreConfig.withQuota(1L << 30));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        for (int writer = 0; writer < WRITERS; writer++) {
            int seed = writer;
            Thread thread = new Thread(() -> write(store, new Random(seed), lease, out), "writer-" + writer);
            thread.start();
        }
    }

    /** Puts blocks with a few in flight at once, and extends the lease of every other one once it is stored. */
    private static void write(BlockStore store, Random random, long lease, PrintStream out) {
        Semaphore inFlight = new Semaphore(4);
        for (int i = 0; i < 1_000_000; i++) {
            byte[] content = new byte[512 + random.nextInt(24 * 1024)];
            random.nextBytes(content);
            ContentHashBlock block = ContentHashBlock.of(content);
            inFlight.acquireUninterruptibly();
            boolean extend = i % 2 == 0;
            store.putAsync(block.handle(), block.encoded(), lease).thenAccept(result -> {
                if (result.isStored()) {
                    out.println("ACK " + block.handle().toHex() + " " + result.leaseExpiry());
                }
                if (extend) {
                    long longer = lease + 1_000 + random.nextInt(1_000_000);
                    store.extendLeaseAsync(block.key(), longer).thenAccept(granted -> {
                        granted.ifPresent(value -> out.println("LEASE " + block.handle().toHex() + " " + value));
                        inFlight.release();
                    });
                } else {
                    inFlight.release();
                }
            });
        }
    }
}

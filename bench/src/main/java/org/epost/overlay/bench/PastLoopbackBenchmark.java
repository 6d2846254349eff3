package org.epost.overlay.bench;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.epost.overlay.cli.CommandLines;
import org.epost.overlay.node.LocalOverlayRing;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.node.OverlayNodeConfig;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.past.protocol.PastConfig;
import org.epost.overlay.past.store.StoreConfig;
import org.epost.overlay.pastry.PastryConfig;
import org.epost.overlay.wire.MessageTypes;
import org.epost.overlay.wire.WireFormat;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * PAST insert and lookup throughput and latency on a loopback ring: N node processes plus this JVM's node, real TCP +
 * TLS, fsynced RocksDB stores, k = 3. Prints one JSON object. A benchmark, not a test: nothing is asserted.
 *
 * <pre>  PastLoopbackBenchmark [--processes 4] [--blocks 2000] [--size 16384] [--concurrency 16]</pre>
 */
@Command(name = "epost-bench-overlay", description = "PAST insert and lookup throughput and latency on a loopback"
    + " ring of node processes; prints one JSON object.")
public final class PastLoopbackBenchmark implements Callable<Integer> {
    @Option(names = "--processes", paramLabel = "N", description = "Node processes (default: ${DEFAULT-VALUE}).")
    private int processes = 4;

    @Option(names = "--blocks", paramLabel = "B",
        description = "Blocks inserted and looked up (default: ${DEFAULT-VALUE}).")
    private int blocks = 2000;

    @Option(names = "--size", paramLabel = "BYTES", description = "Bytes per block (default: ${DEFAULT-VALUE}).")
    private int size = 16384;

    @Option(names = "--concurrency", paramLabel = "C",
        description = "Operations in flight (default: ${DEFAULT-VALUE}).")
    private int concurrency = 16;

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new PastLoopbackBenchmark(), args));
    }

    @Override
    public Integer call() throws Exception {
        Path directory = Files.createTempDirectory("epost-past-bench");

        try (LocalOverlayRing ring = LocalOverlayRing.launch(directory, processes)) {
            String local = ring.localAddress();
            OverlayNodeConfig config = new OverlayNodeConfig(
                new InetSocketAddress("127.0.0.1", Integer.parseInt(local.substring(local.lastIndexOf(':') + 1))), local,
                ring.addresses(), PastryConfig.defaults(), WireFormat.DEFAULT_MAX_FRAME_BYTES, directory.resolve("local-store"),
                StoreConfig.withQuota(8L << 30), PastConfig.defaults());
            try (OverlayNode client = OverlayNode.start(ring.credentialsForLocalNode(), config, new MessageTypes()).join()) {
                ring.awaitRing(processes + 1, Duration.ofMinutes(3));
                Random random = new Random(1);
                List<ContentHashBlock> data = new ArrayList<>();
                for (int i = 0; i < blocks; i++) {
                    byte[] content = new byte[size];
                    random.nextBytes(content);
                    data.add(ContentHashBlock.of(content));
                }
                long lease = System.currentTimeMillis() + Duration.ofDays(1).toMillis();
                // Warm-up: JIT, TLS links to every node.
                run(data.subList(0, Math.min(100, blocks)), concurrency, block -> client.past().insert(block, lease));

                Phase inserts = run(data, concurrency, block -> client.past().insert(block, lease)
                    .thenApply(result -> {
                        if (!result.isSuccess()) {
                            throw new IllegalStateException("insert " + result.status() + ": " + result.detail());
                        }
                        return result;
                    }));
                Phase lookups = run(data, concurrency, block -> client.past().lookup(block.key())
                    .thenApply(found -> found.orElseThrow(() -> new IllegalStateException("lost " + block.handle()))));

                System.out.println(String.format(Locale.ROOT,
                    "{\"nodes\":%d,\"replicas\":3,\"block_bytes\":%d,\"blocks\":%d,\"concurrency\":%d,"
                        + "\"insert\":%s,\"lookup\":%s}",
                    processes + 1, size, blocks, concurrency, inserts.json(size), lookups.json(size)));
            }
        }
        return 0;
    }

    /** Latencies of one phase and how long it took in all. */
    private record Phase(long[] latenciesNanos, long elapsedNanos) {
        String json(int size) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            double seconds = elapsedNanos / 1e9;
            return String.format(Locale.ROOT, "{\"ops_per_s\":%.1f,\"mib_per_s\":%.2f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}",
                sorted.length / seconds, sorted.length * (double) size / seconds / (1 << 20),
                sorted[sorted.length / 2] / 1e6, sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
                sorted[sorted.length - 1] / 1e6);
        }
    }

    private static Phase run(List<ContentHashBlock> blocks, int concurrency,
                             Function<ContentHashBlock, CompletableFuture<?>> operation) throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        long[] latencies = new long[blocks.size()];
        List<CompletableFuture<?>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < blocks.size(); i++) {
            inFlight.acquire();
            int index = i;
            long began = System.nanoTime();
            all.add(operation.apply(blocks.get(i)).whenComplete((result, failure) -> {
                latencies[index] = System.nanoTime() - began;
                inFlight.release();
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        return new Phase(latencies, System.nanoTime() - start);
    }
}

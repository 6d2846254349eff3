package org.epost.durability.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.epost.durability.glacier.Glacier;
import org.epost.durability.glacier.GlacierConfig;
import org.epost.durability.glacier.GlacierFigures;
import org.epost.durability.glacier.PastObjectVerifier;
import org.epost.durability.glacier.store.RocksDbFragmentStore;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glacier on a real overlay node, as a peer and a stand-alone node process run it: fragments in a RocksDB store of
 * their own, PAST's archive (the root of each immutable block archives it once k replicas are durable; a lookup that
 * finds no replica rebuilds from fragments), and the figures reported to a {@link MetricSink} every minute.
 *
 * <p>Started on a started node before it joins (its message types must be in the node's {@code MessageTypes}:
 * {@link org.epost.durability.glacier.GlacierMessageTypes}); closed before the node closes.
 */
public final class GlacierNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GlacierNode.class);
    static final long REPORT_INTERVAL_MILLIS = 60_000;

    private final OverlayNode node;
    private final RocksDbFragmentStore store;
    private final Glacier glacier;
    private final MetricReporter reporter;
    private Scheduler.Cancellable reportTimer;

    private GlacierNode(OverlayNode node, RocksDbFragmentStore store, Glacier glacier, MetricSink metrics) {
        this.node = node;
        this.store = store;
        this.glacier = glacier;
        this.reporter = new MetricReporter(metrics);
    }

    /** Opens the fragment store in {@code storeDirectory} and starts Glacier on {@code node}. */
    public static GlacierNode start(OverlayNode node, Path storeDirectory, GlacierConfig config, MetricSink metrics)
            throws Exception {
        RocksDbFragmentStore store = RocksDbFragmentStore.open(storeDirectory);
        try {
            GlacierNode started = node.onNodeThread(() -> {
                Glacier glacier = new Glacier(node.pastry(), node.past(), new PastObjectVerifier(node.past().verifier()),
                    node.scheduler(), config, store);
                node.past().setArchive(glacier);
                GlacierNode composed = new GlacierNode(node, store, glacier, metrics);
                composed.scheduleReport();
                return composed;
            }).get(1, TimeUnit.MINUTES);
            LOG.info("Glacier runs on {} with code {}/{}, {} fragments ({} bytes) held from before", node.pastry().localHandle(),
                config.code().n(), config.code().m(), started.glacier.fragmentsHeld(), started.glacier.fragmentBytes());
            return started;
        } catch (Exception | Error e) {
            store.close();
            throw e;
        }
    }

    /** Callable from any thread as far as {@link Glacier}'s public API allows (archive, read, recover). */
    public Glacier glacier() {
        return glacier;
    }

    /** The figures now, read on the node thread. */
    public CompletableFuture<GlacierFigures> figures() {
        return node.onNodeThread(glacier::figures);
    }

    /** {@code figure} of this node's Glacier, read on the node thread (aggregation figures, pointers held). */
    public <T> CompletableFuture<T> read(java.util.function.Function<Glacier, T> figure) {
        return node.onNodeThread(() -> figure.apply(glacier));
    }

    /** (object handle, index) of every fragment held, read on the node thread. */
    public CompletableFuture<List<Map.Entry<Id, Integer>>> heldFragments() {
        return node.onNodeThread(() -> {
            List<Map.Entry<Id, Integer>> held = new ArrayList<>();
            glacier.forEachHeld((handle, index) -> held.add(Map.entry(handle, index)));
            return held;
        });
    }

    private void scheduleReport() {
        reportTimer = node.scheduler().schedule(REPORT_INTERVAL_MILLIS, () -> {
            reporter.report(glacier.figures());
            scheduleReport();
        });
    }

    /** Stops Glacier on the node thread, then closes the store (syncing what was written). */
    @Override
    public void close() {
        try {
            node.onNodeThread(() -> {
                if (reportTimer != null) {
                    reportTimer.cancel();
                }
                glacier.stop();
                reporter.report(glacier.figures());
                return null;
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Glacier did not stop cleanly on the node thread", e);
        } finally {
            store.close();
        }
    }
}

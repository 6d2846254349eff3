package org.epost.overlay.testing;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.node.OverlayNode;

/** Waiting on real overlay nodes running in the test's JVM (real time, real TLS links). */
public final class RealNodes {
    /** How long a test waits for a real ring to settle. */
    public static final long WAIT_MILLIS = 60_000;

    private RealNodes() {
    }

    /** The node's leaf set, asked on its thread. */
    public static List<NodeHandle> leafSet(OverlayNode node) {
        try {
            return node.status().get(WAIT_MILLIS, TimeUnit.MILLISECONDS).leafSet();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code condition} held within {@link #WAIT_MILLIS}, checked every 200 ms. */
    public static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }
}

package org.epost.post.log;

import java.util.Objects;
import java.util.function.LongSupplier;

import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.past.block.BlockLimits;

/**
 * Tuning of the single-writer logs.
 *
 * @param recordsPerCluster  M: records per cluster block (a cluster also closes early when the next record would not
 *                           fit in {@code maxBlockBytes})
 * @param snapshotInterval   S: a snapshot of the materialized state is written each time the record count reaches a
 *                           multiple of S (best a multiple of M, so that a snapshot starts a cluster)
 * @param writerLeaseMillis  how long a head's writer lease lasts; renewed by every head the writer stores
 * @param clockSkewMillis    tolerated skew between peers' clocks: a lease counts as live until expiry + skew
 * @param blockLeaseMillis   PAST lease of the blocks a writer stores (the lease refresher extends referenced ones)
 * @param maxBlockBytes      content bytes of a content-hash block (DESIGN.md: 1 MiB)
 * @param clock              milliseconds since the epoch (the simulation's virtual clock in tests)
 * @param metrics            where writers report their appends ({@code epost.log.append}, a timer, and counts)
 */
public record LogConfig(int recordsPerCluster, int snapshotInterval, long writerLeaseMillis, long clockSkewMillis,
                        long blockLeaseMillis, int maxBlockBytes, LongSupplier clock, MetricSink metrics) {
    public static final long DAY = 86_400_000L;

    public LogConfig {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(metrics, "metrics");
        if (recordsPerCluster < 1 || snapshotInterval < 1 || writerLeaseMillis < 1 || clockSkewMillis < 0
                || blockLeaseMillis < 1) {
            throw new IllegalArgumentException("log settings must be positive");
        }
        if (maxBlockBytes < 4096 || maxBlockBytes > BlockLimits.DEFAULT_MAX_CONTENT_BYTES) {
            throw new IllegalArgumentException("maxBlockBytes must be in [4096, 1 MiB]: " + maxBlockBytes);
        }
    }

    /**
     * M = 16, S = 1024, 10-minute writer lease, 2-minute skew, 30-day block lease, 1 MiB blocks, wall clock. M is
     * small because every append stores the partial cluster again, sealed, on k replicas, each hashing it: with M =
     * 64 a delivery to an INBOX rewrote 32 earlier records on average; with 16, 8. Opening a log from the DHT without
     * its cached view walks at most S / M = 64 clusters back to the snapshot instead of 16.
     */
    public static LogConfig defaults() {
        return new LogConfig(16, 1024, 10 * 60_000L, 2 * 60_000L, 30 * DAY, BlockLimits.DEFAULT_MAX_CONTENT_BYTES,
            System::currentTimeMillis, MetricSink.NONE);
    }

    public LogConfig withRecordsPerCluster(int m) {
        return new LogConfig(m, snapshotInterval, writerLeaseMillis, clockSkewMillis, blockLeaseMillis, maxBlockBytes, clock, metrics);
    }

    public LogConfig withSnapshotInterval(int s) {
        return new LogConfig(recordsPerCluster, s, writerLeaseMillis, clockSkewMillis, blockLeaseMillis, maxBlockBytes, clock, metrics);
    }

    public LogConfig withMaxBlockBytes(int bytes) {
        return new LogConfig(recordsPerCluster, snapshotInterval, writerLeaseMillis, clockSkewMillis, blockLeaseMillis, bytes, clock, metrics);
    }

    public LogConfig withClock(LongSupplier newClock) {
        return new LogConfig(recordsPerCluster, snapshotInterval, writerLeaseMillis, clockSkewMillis, blockLeaseMillis, maxBlockBytes, newClock, metrics);
    }

    public LogConfig withMetrics(MetricSink sink) {
        return new LogConfig(recordsPerCluster, snapshotInterval, writerLeaseMillis, clockSkewMillis, blockLeaseMillis, maxBlockBytes, clock, sink);
    }

    public long now() {
        return clock.getAsLong();
    }
}

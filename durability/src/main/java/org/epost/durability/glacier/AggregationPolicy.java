package org.epost.durability.glacier;

/**
 * Which immutable blocks an archiving root aggregates, and how: a block smaller than {@code smallObjectBytes} is not
 * coded alone (each of its n fragments would carry about 300 bytes of manifest and proof, more than its share of the
 * block) but packed with others into an aggregate of about {@code targetBytes}, coded once; an aggregate not full
 * after {@code flushAfterMillis} is coded as it is, so no block waits for ever. {@code smallObjectBytes} 0: none.
 */
public record AggregationPolicy(int smallObjectBytes, int targetBytes, long flushAfterMillis) {
    /**
     * Blocks under 64 KiB, aggregates of 1 MiB, flushed after 5 minutes at the latest: a root takes the small blocks
     * whose handles are closest to it, so on a large ring with little traffic a short window makes aggregates of a
     * few blocks, each costing n fragments of its own; meanwhile the blocks have their k PAST replicas.
     */
    public static final AggregationPolicy DEFAULT = new AggregationPolicy(64 << 10, 1 << 20, 5 * 60_000);
    /** Every block coded alone. */
    public static final AggregationPolicy NONE = new AggregationPolicy(0, 1 << 20, 30_000);

    public AggregationPolicy {
        if (smallObjectBytes < 0 || targetBytes < 1 || smallObjectBytes > targetBytes || flushAfterMillis <= 0) {
            throw new IllegalArgumentException("bad aggregation policy: blocks under " + smallObjectBytes
                + " bytes into " + targetBytes + " flushed after " + flushAfterMillis + " ms");
        }
    }

    /** Whether a block of {@code encodedBytes} is aggregated. */
    public boolean aggregates(int encodedBytes) {
        return encodedBytes < smallObjectBytes;
    }
}

package org.epost.post.log;

/**
 * A log opened and replayed: the materialized state after {@link #recordCount()} records, and how it was obtained.
 */
public final class LogView<S> {

    public enum Source {
        /** No snapshot or cache: replayed from record 0 (a new log, or {@link LogOpener#replayAll}). */
        GENESIS,
        /** Started from the newest snapshot in the DHT. */
        SNAPSHOT,
        /** Started from this peer's cached view. */
        CACHE
    }

    private final S state;
    private final long recordCount;
    private final LogHead head;
    private final Source source;
    private final int blocksFetched;
    private final long recordsReplayed;
    final Cluster newestCluster;
    final byte[] digest;

    LogView(S state, long recordCount, LogHead head, Source source, int blocksFetched, long recordsReplayed,
            Cluster newestCluster, byte[] digest) {
        this.state = state;
        this.recordCount = recordCount;
        this.head = head;
        this.source = source;
        this.blocksFetched = blocksFetched;
        this.recordsReplayed = recordsReplayed;
        this.newestCluster = newestCluster;
        this.digest = digest;
    }

    /** The reducer's state. */
    public S state() {
        return state;
    }

    /** Records the state covers: all records of {@link #head()}. */
    public long recordCount() {
        return recordCount;
    }

    /** The head it was read from; null for a log that has no head yet. */
    public LogHead head() {
        return head;
    }

    /** The head's version, or -1 when the log has none yet. */
    public long headVersion() {
        return head == null ? -1 : head.version();
    }

    /** Where replay started. */
    public Source source() {
        return source;
    }

    /** Blocks looked up in the DHT to open it: head, snapshot root and chunks, clusters. */
    public int blocksFetched() {
        return blocksFetched;
    }

    /** Records applied to the reducer on top of the starting point. */
    public long recordsReplayed() {
        return recordsReplayed;
    }

    @Override
    public String toString() {
        return "LogView(" + recordCount + " records, head v" + headVersion() + ", from " + source + ", "
            + blocksFetched + " blocks fetched, " + recordsReplayed + " records replayed)";
    }
}

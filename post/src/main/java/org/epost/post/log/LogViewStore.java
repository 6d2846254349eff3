package org.epost.post.log;

import java.io.IOException;
import java.util.Optional;

import org.epost.overlay.id.Id;

/**
 * The owner's peer's local state for its logs, keyed by head handle: the cached materialized view (opaque, sealed
 * with the log key by {@link LogOpener}; losing it only costs a rebuild from the DHT) and the highest head version
 * this peer has accepted (no rollback: kept apart from the view, and not lost with it).
 */
public interface LogViewStore {

    Optional<byte[]> loadView(Id log) throws IOException;

    void saveView(Id log, byte[] sealedView) throws IOException;

    void deleteView(Id log) throws IOException;

    /** The highest head version accepted for {@code log}, or -1. */
    long highestHeadVersion(Id log) throws IOException;

    /** Raises the remembered version of {@code log} to {@code version} (never lowers it). */
    void recordHeadVersion(Id log, long version) throws IOException;
}

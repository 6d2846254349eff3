package org.epost.post.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Supplier;

import org.epost.overlay.id.Id;

/**
 * The owner's peer's local state for its logs, keyed by head handle: the cached materialized view (opaque, sealed
 * with the log key by {@link LogOpener}; losing it only costs a rebuild from the DHT) and the highest head version
 * this peer has accepted (no rollback: kept apart from the view, and not lost with it).
 */
public interface LogViewStore {

    Optional<byte[]> loadView(Id log) throws IOException;

    /**
     * The view of {@code log} for reading only, without copying it when the store can avoid it: a segmented view
     * opens its head and reads its body's segments when first used, so a store on disk maps the file instead of
     * reading tens of MB onto the heap (a 40 MB array made a full collection of the peer's small heap on the first
     * SELECT after a restart). The content never changes while held: a new view is a new file.
     */
    default Optional<ByteBuffer> mapView(Id log) throws IOException {
        return loadView(log).map(ByteBuffer::wrap);
    }

    void saveView(Id log, byte[] sealedView) throws IOException;

    /**
     * Saves the view {@code sealing} makes, now or later on a thread of the store's own: an open that replayed
     * records saves the view again, and sealing and writing tens of MB held the first SELECT after a restart for
     * seconds. A view saved late, or overtaken by an older one, is still a valid start (an open replays what it
     * lacks). By default at once, a failure thrown as an {@link java.io.UncheckedIOException}; a store that saves
     * later logs its failures.
     */
    default void saveViewLater(Id log, Supplier<byte[]> sealing) {
        try {
            saveView(log, sealing.get());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void deleteView(Id log) throws IOException;

    /** The highest head version accepted for {@code log}, or -1. */
    long highestHeadVersion(Id log) throws IOException;

    /** Raises the remembered version of {@code log} to {@code version} (never lowers it). */
    void recordHeadVersion(Id log, long version) throws IOException;
}

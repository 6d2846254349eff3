package org.epost.mailbox.mail;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

import org.epost.post.store.PartChunk;
import org.epost.post.store.PartReference;

/**
 * Reads a large part one chunk at a time for one reader going forward, the next chunk already asked for while the
 * reader consumes the current one: a FETCH or the search index streaming a 40 MiB attachment holds two chunks (about
 * 2 MiB), never the part, and does not wait a round trip per chunk. Not thread-safe: one per stream.
 */
final class ChunkReadAhead {
    private record Pending(PartReference part, long offset, CompletableFuture<PartChunk> chunk) {
    }

    private final BiFunction<PartReference, Long, CompletableFuture<PartChunk>> chunkAt;
    private Pending next;

    /** @param chunkAt the store's {@code chunkAt}: the chunk of a part that holds an offset */
    ChunkReadAhead(BiFunction<PartReference, Long, CompletableFuture<PartChunk>> chunkAt) {
        this.chunkAt = chunkAt;
    }

    /** The chunk of {@code part} that holds {@code offset}; the one after it is asked for before this returns. */
    PartChunk read(PartReference part, long offset) throws IOException {
        CompletableFuture<PartChunk> wanted;
        if (next != null && next.part().equals(part) && next.offset() == offset) {
            wanted = next.chunk();
        } else {
            if (next != null) {
                next.chunk().cancel(false);
            }
            wanted = chunkAt.apply(part, offset);
        }
        next = null;
        PartChunk chunk = ContentCache.await(wanted, part);
        if (chunk.end() < part.size()) {
            next = new Pending(part, chunk.end(), chunkAt.apply(part, chunk.end()));
        }
        return chunk;
    }
}

package org.epost.mailbox.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.id.Id;
import org.epost.post.message.MessageInputStream;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageSkeleton;
import org.epost.post.message.MessageStore;
import org.epost.post.store.PartChunk;
import org.epost.post.store.PartReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The home peer's small cache of message contents, least recently used first out, bounded in bytes: a client that
 * FETCHes the header, then the body, then BODYSTRUCTURE of one message reads each piece from the DHT once. It keeps
 * skeletons and parts (a reader fetches only the parts it reaches, see {@link MessageInputStream}) and whole
 * messages this peer has just stored (the search index and the first FETCH of a new message read them from memory).
 * A part is first read only as far as its first chunk: MIME parsers read a few KiB ahead, past the end of the
 * section they want, and that must not fetch a 25 MB attachment; a reader that goes on past the first chunk gets the
 * whole part, its chunks fetched in parallel, when it is at most {@link #MAX_WHOLE_PART_BYTES}, and a larger part
 * chunk by chunk ({@link ChunkReadAhead}): no reader holds a large part whole.
 * Only contents ever enter it (never while listing UIDs or flags), kept in memory. Everything is keyed by
 * content-hash references, so an entry can never be stale. Anything larger than the bound is read and not kept.
 * Skeletons also go to the peer's {@link SealedSkeletonCache} on disk when there is one (sealed, never plaintext): a
 * message stored or appended here has its skeleton written there in the background, so that its header is read from
 * local disk after a restart. A FETCH reads skeletons ahead of James's FETCH thread ({@link #readAhead}).
 */
public final class ContentCache {
    private static final Logger LOG = LoggerFactory.getLogger(ContentCache.class);

    /** The key of a whole message, as opposed to its skeleton (keyed by the reference itself). */
    private record Whole(MessageReference reference) {
    }

    /** The key of the first chunk of a part, as opposed to the whole part (keyed by the reference itself). */
    private record FirstChunk(PartReference part) {
    }

    private record Entry(Object value, long weight) {
    }

    /** A part read past its first chunk is fetched whole (its chunks in parallel, then kept) up to 4 MiB. */
    static final long MAX_WHOLE_PART_BYTES = 4L << 20;

    /**
     * Writes skeletons to the disk cache: one daemon thread and a bounded queue of its own, not the common ForkJoin
     * pool that James and the JDK share (file writes would block it); when the queue is full a write is refused and
     * logged, which only costs a DHT lookup later.
     */
    private static final ExecutorService DISK_WRITES = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(4096), runnable -> {
            Thread thread = new Thread(runnable, "epost-skeleton-writes");
            thread.setDaemon(true);
            return thread;
        });

    /** Reads skeletons ahead of FETCHes, shared by every cache (one per peer in production). */
    private static final Executor READ_AHEAD = SkeletonReadAhead.defaultExecutor();

    private final long maxBytes;
    private final Optional<SealedSkeletonCache> disk;
    private final SkeletonReadAhead readAhead;
    private final LinkedHashMap<Object, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    public ContentCache(long maxBytes) {
        this(maxBytes, Optional.empty());
    }

    public ContentCache(long maxBytes, Optional<SealedSkeletonCache> disk) {
        this(maxBytes, disk, READ_AHEAD);
    }

    /** With the read-aheads run by {@code readAheads} (a test runs them when it wants). */
    ContentCache(long maxBytes, Optional<SealedSkeletonCache> disk, Executor readAheads) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative cache size " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.disk = disk;
        this.readAhead = new SkeletonReadAhead(readAheads);
    }

    /** The message as a stream: from memory if it was just stored, else segment by segment, parts as reached. */
    public InputStream open(MessageStore store, MessageReference reference) throws IOException {
        byte[] whole = (byte[]) lookup(new Whole(reference));
        if (whole != null) {
            return new ByteArrayInputStream(whole);
        }
        ChunkReadAhead chunks = new ChunkReadAhead(store::chunkAt);
        return new MessageInputStream(skeleton(store, reference), (part, offset) -> piece(store, chunks, part, offset));
    }

    /** The message's skeleton (its layout and stored structure), fetched once. */
    public MessageSkeleton skeleton(MessageStore store, MessageReference reference) throws IOException {
        MessageSkeleton cached = (MessageSkeleton) lookup(reference);
        return cached != null ? cached : readAhead.get(reference, read -> load(store, read));
    }

    /**
     * Has the skeleton of {@code reference} read in the background, for a reader about to open the message: from the
     * disk cache, else the DHT; nothing when it is in memory already (or the whole message is).
     */
    void readAhead(MessageStore store, MessageReference reference) {
        if (lookup(reference) == null && lookup(new Whole(reference)) == null) {
            readAhead.ahead(reference, read -> load(store, read));
        }
    }

    /** Skeletons asked by {@link #readAhead} and not read yet. */
    int readsAhead() {
        return readAhead.pending();
    }

    private MessageSkeleton load(MessageStore store, MessageReference reference) throws IOException {
        Optional<MessageSkeleton> local = disk.flatMap(kept -> kept.get(reference));
        MessageSkeleton skeleton = local.isPresent() ? local.get() : await(store.skeleton(reference), reference.top());
        if (local.isEmpty()) {
            disk.ifPresent(kept -> kept.put(reference, skeleton));
        }
        keep(reference, skeleton, reference.top().size());
        return skeleton;
    }

    /**
     * Remembers a message this peer has just stored (or appended by reference) under {@code reference}, and has its
     * skeleton read from {@code store} and kept on disk in the background; the future completes when that is done
     * (a failure is logged, never reported: the DHT still has the skeleton).
     */
    public CompletableFuture<Void> remember(MessageStore store, MessageReference reference, byte[] message) {
        if (message.length == reference.size()) {
            keep(new Whole(reference), message, message.length);
        }
        if (disk.isEmpty() || disk.get().holds(reference)) {
            return CompletableFuture.completedFuture(null);
        }
        SealedSkeletonCache kept = disk.get();
        return store.skeleton(reference)
            .thenAcceptAsync(skeleton -> kept.put(reference, skeleton), DISK_WRITES)
            .exceptionally(failure -> {
                LOG.warn("Skeleton of {} not cached on disk: {}", reference.top().handle(), failure.getMessage());
                return null;
            });
    }

    /** See {@link SealedSkeletonCache#retainOnly}; 0 without a disk cache. */
    public int retainSkeletons(Set<Id> live, long writtenBeforeMillis) {
        return disk.map(kept -> kept.retainOnly(live, writtenBeforeMillis)).orElse(0);
    }

    /** Entries (skeletons, parts, whole messages) cached now. */
    public synchronized int size() {
        return entries.size();
    }

    /**
     * The piece of {@code part} holding {@code offset}: its first chunk when reading from its start, else all of it
     * when it is small, or for a large part the chunk holding it (read ahead, not kept: nothing holds it whole).
     */
    private PartChunk piece(MessageStore store, ChunkReadAhead chunks, PartReference part, long offset)
            throws IOException {
        byte[] whole = (byte[]) lookup(part);
        if (whole != null) {
            return new PartChunk(0, whole);
        }
        if (offset == 0) {
            PartChunk first = (PartChunk) lookup(new FirstChunk(part));
            if (first == null) {
                first = await(store.chunkAt(part, 0), part);
                if (first.offset() == 0 && first.end() == part.size()) {
                    keep(part, first.bytes(), first.bytes().length);
                } else {
                    keep(new FirstChunk(part), first, first.bytes().length);
                }
            }
            return first;
        }
        if (part.size() > MAX_WHOLE_PART_BYTES) {
            return chunks.read(part, offset);
        }
        byte[] bytes = await(store.part(part), part);
        keep(part, bytes, bytes.length);
        return new PartChunk(0, bytes);
    }

    private synchronized Object lookup(Object key) {
        Entry entry = entries.get(key);
        return entry == null ? null : entry.value();
    }

    private synchronized void keep(Object key, Object value, long weight) {
        if (weight > maxBytes) {
            return;
        }
        Entry previous = entries.put(key, new Entry(value, weight));
        bytes += weight - (previous == null ? 0 : previous.weight());
        var iterator = entries.entrySet().iterator();
        while (bytes > maxBytes && iterator.hasNext()) {
            Map.Entry<Object, Entry> eldest = iterator.next();
            bytes -= eldest.getValue().weight();
            iterator.remove();
        }
    }

    static <T> T await(CompletableFuture<T> future, PartReference what) throws IOException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IOException("message content " + what.handle() + " cannot be read: " + e.getCause().getMessage(),
                e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading message content " + what.handle(), e);
        }
    }
}

package org.epost.post.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.epost.post.store.BoundedParallel;
import org.epost.post.store.CorruptPartException;
import org.epost.post.store.PartChunk;
import org.epost.post.store.PartReference;
import org.epost.post.store.PartStore;
import org.epost.post.store.RandomAccessBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages stored as their MIME structure: every large leaf body (an attachment, a long text) is a part of its own in
 * the {@link PartStore}, convergent-encrypted, so the same attachment in any number of messages, from any sender, is
 * the same blocks; the rest of the message (headers, boundary lines, small bodies) goes inline into a
 * {@link MessageSkeleton}, itself stored as a part, whose reference is the message's.
 *
 * <p>Reading a message back gives exactly the bytes stored, whatever they were: the cut ({@link MimeCutter}) follows
 * the raw bytes, and malformed MIME is only cut more coarsely. Inline runs of at least the leaf threshold (a huge
 * header, a long preamble) are stored as parts too, so a skeleton holds only short literals; a message whose skeleton
 * would still exceed {@link Config#maxSkeletonBytes()} (or that has more than {@value MessageSkeleton#MAX_SEGMENTS}
 * segments) is stored as one part.
 *
 * <p>A message with parts of its own also gets its {@link StructureIndexer}'s description in the skeleton (one
 * description per message, shared by every reader), unless that would push the skeleton over its limit: then the
 * skeleton goes without, and readers parse the message instead.
 *
 * <p>Fetching checks what it reads: the skeleton is decoded strictly and must describe exactly the reference's size,
 * every part must have the size the skeleton says; anything else fails with a {@link CorruptPartException}.
 */
public final class MimeMessageStore implements MessageStore {

    /**
     * @param leafThreshold    leaf bodies (and inline runs) of at least this many bytes are stored as parts of their
     *                         own; keep it at or above the part store's padding threshold, or such parts are padded
     *                         and not shared
     * @param maxSkeletonBytes largest skeleton stored or accepted when reading
     * @param maxPartsInFlight parts of one message stored or fetched at once
     */
    public record Config(int leafThreshold, int maxSkeletonBytes, int maxPartsInFlight) {
        public Config {
            if (leafThreshold < 1 || maxSkeletonBytes < 1024 || maxPartsInFlight < 1) {
                throw new IllegalArgumentException("leafThreshold and maxPartsInFlight are positive, maxSkeletonBytes"
                    + " at least 1024");
            }
        }

        /** 16 KiB leaves, skeletons up to 16 MiB, 2 parts in flight (each runs its own chunks in parallel). */
        public static Config defaults() {
            return new Config(16 * 1024, 16 << 20, 2);
        }

        public Config withLeafThreshold(int value) {
            return new Config(value, maxSkeletonBytes, maxPartsInFlight);
        }
    }

    private static final Logger LOGGER = LoggerFactory.getLogger(MimeMessageStore.class);

    private final PartStore parts;
    private final Config config;
    private final MimeCutter cutter;
    private final StructureIndexer indexer;

    /** A store whose skeletons carry no structure. */
    public MimeMessageStore(PartStore parts, Config config) {
        this(parts, config, StructureIndexer.NONE);
    }

    public MimeMessageStore(PartStore parts, Config config, StructureIndexer indexer) {
        this.parts = Objects.requireNonNull(parts, "parts");
        this.config = Objects.requireNonNull(config, "config");
        this.cutter = new MimeCutter(config.leafThreshold());
        this.indexer = Objects.requireNonNull(indexer, "indexer");
    }

    @Override
    public CompletableFuture<MessageReference> store(byte[] message, long leaseExpiryMillis) {
        Objects.requireNonNull(message, "message");
        return store(RandomAccessBytes.of(message), leaseExpiryMillis);
    }

    /**
     * Stores a message read by position: cut while reading it through a {@link ByteWindow}, its parts stored by the
     * part store a chunk at a time ({@link PartStore#store(RandomAccessBytes, long, long, long)}), so that a message
     * spilled to disk is never whole in the heap; the skeleton and every block are the same as for the same bytes in
     * an array.
     */
    @Override
    public CompletableFuture<MessageReference> store(RandomAccessBytes message, long leaseExpiryMillis) {
        Objects.requireNonNull(message, "message");
        long length = message.length();
        if (length > parts.config().maxPartBytes()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a message of " + length
                + " bytes exceeds the store's limit of " + parts.config().maxPartBytes()));
        }
        List<MimeCutter.Range> plan;
        Optional<byte[]> structure;
        try {
            plan = cutter.cut(new ByteWindow(message)).stream()
                .map(r -> r.leaf() || r.length() < config.leafThreshold() ? r
                    : new MimeCutter.Range(r.start(), r.end(), true))
                .toList();
            if (plan.size() > MessageSkeleton.MAX_SEGMENTS || skeletonBytes(plan) > config.maxSkeletonBytes()) {
                plan = length == 0 ? List.of() : List.of(new MimeCutter.Range(0, (int) length, true));
            }
            structure = plan.stream().noneMatch(MimeCutter.Range::leaf) ? Optional.empty() : describe(message, plan);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<MimeCutter.Range> separate = plan.stream().filter(MimeCutter.Range::leaf).toList();
        PartReference[] stored = new PartReference[separate.size()];
        List<MimeCutter.Range> segmentsPlan = plan;
        return BoundedParallel.run(separate.size(), config.maxPartsInFlight(), index -> {
                MimeCutter.Range range = separate.get(index);
                return parts.store(message, range.start(), range.length(), leaseExpiryMillis)
                    .thenAccept(reference -> stored[index] = reference);
            })
            .thenCompose(ignored -> {
                List<MessageSkeleton.Segment> segments = new ArrayList<>(segmentsPlan.size());
                int next = 0;
                for (MimeCutter.Range range : segmentsPlan) {
                    segments.add(range.leaf() ? new MessageSkeleton.Part(stored[next++])
                        : new MessageSkeleton.Literal(message.read(range.start(), range.length())));
                }
                return parts.store(new MessageSkeleton(segments, structure).encode(), leaseExpiryMillis);
            })
            .thenApply(top -> new MessageReference(top, length));
    }

    /**
     * The indexer's description, when the skeleton still fits with it; a failing indexer costs the description,
     * never the message.
     */
    private Optional<byte[]> describe(RandomAccessBytes message, List<MimeCutter.Range> plan) {
        Optional<byte[]> structure;
        try {
            structure = indexer.describe(message);
        } catch (RuntimeException e) {
            LOGGER.warn("A message of {} bytes could not be described, stored without its structure: {}",
                message.length(), e.toString());
            return Optional.empty();
        }
        if (structure.isPresent() && skeletonBytes(plan) + 6 + structure.get().length > config.maxSkeletonBytes()) {
            return Optional.empty();
        }
        return structure;
    }

    /**
     * An upper bound of the encoded skeleton of {@code plan}: its literal bytes plus a header per segment (array, kind
     * and byte-string headers: at most 7 bytes).
     */
    private static long skeletonBytes(List<MimeCutter.Range> plan) {
        return 16 + plan.stream().mapToLong(r -> 7 + (r.leaf() ? PartReference.MAX_ENCODED_BYTES : r.length())).sum();
    }

    @Override
    public CompletableFuture<byte[]> fetch(MessageReference reference) {
        if (reference.size() > parts.config().maxPartBytes()) {
            return CompletableFuture.failedFuture(new CorruptPartException(reference.top().handle(), "a message of "
                + reference.size() + " bytes exceeds the store's limit of " + parts.config().maxPartBytes(), null));
        }
        return skeleton(reference).thenCompose(skeleton -> {
            byte[] message = new byte[(int) reference.size()];
            List<MessageSkeleton.Segment> segments = skeleton.segments();
            long[] offsets = new long[segments.size()];
            long offset = 0;
            List<Integer> partIndexes = new ArrayList<>();
            for (int i = 0; i < segments.size(); i++) {
                offsets[i] = offset;
                offset += segments.get(i).size();
                if (segments.get(i) instanceof MessageSkeleton.Literal literal) {
                    System.arraycopy(literal.bytes(), 0, message, (int) offsets[i], literal.bytes().length);
                } else {
                    partIndexes.add(i);
                }
            }
            return BoundedParallel.run(partIndexes.size(), config.maxPartsInFlight(), n -> {
                    int index = partIndexes.get(n);
                    PartReference part = ((MessageSkeleton.Part) segments.get(index)).reference();
                    return part(part).thenAccept(bytes ->
                        System.arraycopy(bytes, 0, message, (int) offsets[index], bytes.length));
                })
                .thenApply(ignored -> message);
        });
    }

    /** The part store answers exactly the part's size or fails: nothing to check again here. */
    @Override
    public CompletableFuture<byte[]> part(PartReference part) {
        return parts.fetch(Objects.requireNonNull(part, "part"));
    }

    @Override
    public CompletableFuture<PartChunk> chunkAt(PartReference part, long offset) {
        return parts.chunkAt(part, offset);
    }

    @Override
    public CompletableFuture<List<PartReference>> parts(MessageReference reference) {
        return skeleton(reference).thenApply(skeleton -> {
            List<PartReference> all = new ArrayList<>(skeleton.parts().size() + 1);
            all.add(reference.top());
            all.addAll(skeleton.parts());
            return all;
        });
    }

    /** The message's skeleton, decoded strictly and checked against the reference's size. */
    @Override
    public CompletableFuture<MessageSkeleton> skeleton(MessageReference reference) {
        PartReference top = reference.top();
        if (top.size() > config.maxSkeletonBytes()) {
            return CompletableFuture.failedFuture(new CorruptPartException(top.handle(), "a skeleton of " + top.size()
                + " bytes exceeds the limit of " + config.maxSkeletonBytes(), null));
        }
        return parts.fetch(top).thenApply(bytes -> {
            MessageSkeleton skeleton;
            try {
                skeleton = MessageSkeleton.decode(bytes, config.maxSkeletonBytes());
            } catch (MalformedSkeletonException e) {
                throw new CorruptPartException(top.handle(), e.getMessage(), e);
            }
            if (skeleton.messageSize() != reference.size()) {
                throw new CorruptPartException(top.handle(), "the skeleton describes " + skeleton.messageSize()
                    + " bytes, the reference " + reference.size(), null);
            }
            return skeleton;
        });
    }
}

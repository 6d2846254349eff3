package org.epost.post.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.store.PartReference;

/**
 * A message as the {@link MimeMessageStore} keeps it: the message's bytes in order, as literal segments (headers,
 * boundaries, small bodies) and references to the parts stored on their own (large MIME leaf bodies). Concatenating
 * the segments, with each part's bytes in place of its reference, gives back the message exactly. A skeleton may
 * also carry the message's {@linkplain #structure() structure} (what a {@link StructureIndexer} made of the whole
 * message when it was stored), so that a reader can describe the message without fetching its parts.
 *
 * <p>Encoding, canonical CBOR (the project's record convention, {@link CborRecordWriter}), one canonical form that
 * {@link #decode} strictly checks:
 * <pre>
 *   [version 1,
 *    segments: [[1, literal bytes: bstr (not empty)] or [2, an encoded {@link PartReference}: bstr] (a non-empty
 *               part), ...] (0 .. {@value #MAX_SEGMENTS}; 0 only for the empty message),
 *    structure: [] or [bstr (not empty)]]
 * </pre>
 * Two literal segments are never adjacent, and the encoding is at most the size the caller allows.
 */
public final class MessageSkeleton {
    public static final int MAX_SEGMENTS = 65_536;
    public static final int VERSION = 1;
    private static final int LITERAL = 1;
    private static final int PART = 2;

    /** One segment: literal bytes, or a stored part. */
    public sealed interface Segment permits Literal, Part {
        long size();
    }

    public record Literal(byte[] bytes) implements Segment {
        public Literal {
            if (bytes.length == 0) {
                throw new IllegalArgumentException("An empty literal segment");
            }
        }

        @Override
        public long size() {
            return bytes.length;
        }
    }

    public record Part(PartReference reference) implements Segment {
        public Part {
            Objects.requireNonNull(reference, "reference");
            if (reference.size() == 0) {
                throw new IllegalArgumentException("An empty part segment");
            }
        }

        @Override
        public long size() {
            return reference.size();
        }
    }

    private final List<Segment> segments;
    private final byte[] structure;

    public MessageSkeleton(List<Segment> segments) {
        this(segments, Optional.empty());
    }

    /** @param structure what a {@link StructureIndexer} made of the message (never empty when present) */
    public MessageSkeleton(List<Segment> segments, Optional<byte[]> structure) {
        this.structure = structure.map(byte[]::clone).orElse(null);
        if (this.structure != null && this.structure.length == 0) {
            throw new IllegalArgumentException("An empty structure");
        }
        this.segments = List.copyOf(segments);
        if (this.segments.size() > MAX_SEGMENTS) {
            throw new IllegalArgumentException("A skeleton has at most " + MAX_SEGMENTS + " segments, not "
                + this.segments.size());
        }
        for (int i = 1; i < this.segments.size(); i++) {
            if (this.segments.get(i) instanceof Literal && this.segments.get(i - 1) instanceof Literal) {
                throw new IllegalArgumentException("Adjacent literal segments at " + (i - 1) + " and " + i);
            }
        }
    }

    public List<Segment> segments() {
        return segments;
    }

    /** The structure stored with the message, if any (opaque here: its {@link StructureIndexer} knows the format). */
    public Optional<byte[]> structure() {
        return Optional.ofNullable(structure).map(byte[]::clone);
    }

    /** The references of the parts stored on their own, in message order. */
    public List<PartReference> parts() {
        return segments.stream().filter(Part.class::isInstance).map(s -> ((Part) s).reference()).toList();
    }

    /** The size of the message this skeleton describes. */
    public long messageSize() {
        return segments.stream().mapToLong(Segment::size).sum();
    }

    public byte[] encode() {
        CborRecordWriter out = CborRecordWriter.versioned(VERSION, 2, 64 + (int) Math.min(1 << 20, messageSize()));
        out.list(segments, segment -> {
            if (segment instanceof Literal literal) {
                out.array(2).number(LITERAL).bytes(literal.bytes()).end();
            } else {
                out.array(2).number(PART).bytes(((Part) segment).reference().encode()).end();
            }
        });
        return out.optional(structure, out::bytes).end().toBytes();
    }

    /**
     * The skeleton {@code bytes} encode; anything but a canonical encoding of at most {@code maxBytes} bytes is a
     * {@link MalformedSkeletonException}.
     */
    public static MessageSkeleton decode(byte[] bytes, int maxBytes) {
        if (bytes.length > maxBytes) {
            throw new MalformedSkeletonException(bytes.length + " bytes, more than the " + maxBytes + " allowed");
        }
        CanonicalCborReader.Failures<MalformedSkeletonException> failures =
            (oversized, message, cause) -> new MalformedSkeletonException(message);
        return CborRecordReader.decodeCanonical(bytes, "message skeleton", failures, in -> read(in, maxBytes),
            MessageSkeleton::encode);
    }

    private static MessageSkeleton read(CborRecordReader<MalformedSkeletonException> in, int maxBytes) {
        in.beginRecord(VERSION, "message skeleton");
        int[] index = {0};
        List<Segment> segments = in.list(segment -> {
            int i = index[0]++;
            segment.beginArray();
            int kind = segment.bounded("segment kind", PART);
            byte[] content = segment.bytes(maxBytes);
            segment.endArray();
            if (kind == LITERAL) {
                if (content.length == 0) {
                    throw segment.malformed("literal segment " + i + " is empty");
                }
                return new Literal(content);
            }
            if (kind != PART) {
                throw segment.malformed("unknown segment kind " + kind + " at " + i);
            }
            PartReference part = PartReference.decode(content);
            if (part.size() == 0) {
                throw segment.malformed("part segment " + i + " is empty");
            }
            return new Part(part);
        }, MAX_SEGMENTS, "segments");
        byte[] structure = in.optional(optional -> optional.bytes(maxBytes));
        in.endArray();
        return new MessageSkeleton(segments, Optional.ofNullable(structure));
    }
}

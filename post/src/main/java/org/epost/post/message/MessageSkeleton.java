package org.epost.post.message;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.epost.post.store.MalformedPartReferenceException;
import org.epost.post.store.PartReference;

/**
 * A message as the {@link MimeMessageStore} keeps it: the message's bytes in order, as literal segments (headers,
 * boundaries, small bodies) and references to the parts stored on their own (large MIME leaf bodies). Concatenating
 * the segments, with each part's bytes in place of its reference, gives back the message exactly. A skeleton may
 * also carry the message's {@linkplain #structure() structure} (what a {@link StructureIndexer} made of the whole
 * message when it was stored), so that a reader can describe the message without fetching its parts.
 *
 * <p>Encoding (all integers big-endian), one canonical form that {@link #decode} strictly checks:
 * <pre>
 *   "EPSKEL" (6 bytes), version: 0x01 without a structure, 0x02 with one
 *   segment count, 4 bytes, 0 .. {@value #MAX_SEGMENTS} (0 only for the empty message)
 *   each segment: 0x01, length (4 bytes, &gt; 0), that many literal bytes
 *              or 0x02, an encoded {@link PartReference} ({@value PartReference#ENCODED_BYTES} bytes) of a non-empty part
 *   version 0x02 only: structure length (4 bytes, &gt; 0), that many bytes
 * </pre>
 * Two literal segments are never adjacent, nothing follows the last segment (or the structure), and the encoding is
 * at most the size the caller allows.
 */
public final class MessageSkeleton {
    public static final int MAX_SEGMENTS = 65_536;
    private static final byte[] MAGIC = "EPSKEL".getBytes(StandardCharsets.US_ASCII);
    private static final int PLAIN = 1;
    private static final int WITH_STRUCTURE = 2;
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(structure == null ? PLAIN : WITH_STRUCTURE);
        writeInt(out, segments.size());
        for (Segment segment : segments) {
            if (segment instanceof Literal literal) {
                out.write(LITERAL);
                writeInt(out, literal.bytes().length);
                out.writeBytes(literal.bytes());
            } else {
                out.write(PART);
                out.writeBytes(((Part) segment).reference().encode());
            }
        }
        if (structure != null) {
            writeInt(out, structure.length);
            out.writeBytes(structure);
        }
        return out.toByteArray();
    }

    /**
     * The skeleton {@code bytes} encode; anything but a canonical encoding of at most {@code maxBytes} bytes is a
     * {@link MalformedSkeletonException}.
     */
    public static MessageSkeleton decode(byte[] bytes, int maxBytes) {
        if (bytes.length > maxBytes) {
            throw new MalformedSkeletonException(bytes.length + " bytes, more than the " + maxBytes + " allowed");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new MalformedSkeletonException("not a message skeleton");
            }
            int version = in.get() & 0xff;
            if (version != PLAIN && version != WITH_STRUCTURE) {
                throw new MalformedSkeletonException("unknown version " + version);
            }
            int count = in.getInt();
            if (count < 0 || count > MAX_SEGMENTS) {
                throw new MalformedSkeletonException(Integer.toUnsignedString(count) + " segments");
            }
            List<Segment> segments = new ArrayList<>(Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                int kind = in.get() & 0xff;
                if (kind == LITERAL) {
                    int length = in.getInt();
                    if (length <= 0 || length > in.remaining()) {
                        throw new MalformedSkeletonException("literal segment " + i + " of "
                            + Integer.toUnsignedString(length) + " bytes, " + in.remaining() + " left");
                    }
                    byte[] literal = new byte[length];
                    in.get(literal);
                    segments.add(new Literal(literal));
                } else if (kind == PART) {
                    byte[] reference = new byte[PartReference.ENCODED_BYTES];
                    in.get(reference);
                    PartReference part = PartReference.decode(reference);
                    if (part.size() == 0) {
                        throw new MalformedSkeletonException("part segment " + i + " is empty");
                    }
                    segments.add(new Part(part));
                } else {
                    throw new MalformedSkeletonException("unknown segment kind " + kind + " at " + i);
                }
            }
            byte[] structure = null;
            if (version == WITH_STRUCTURE) {
                int length = in.getInt();
                if (length <= 0 || length > in.remaining()) {
                    throw new MalformedSkeletonException("structure of " + Integer.toUnsignedString(length)
                        + " bytes, " + in.remaining() + " left");
                }
                structure = new byte[length];
                in.get(structure);
            }
            if (in.hasRemaining()) {
                throw new MalformedSkeletonException(in.remaining() + " trailing bytes");
            }
            return new MessageSkeleton(segments, Optional.ofNullable(structure));
        } catch (BufferUnderflowException e) {
            throw new MalformedSkeletonException("truncated");
        } catch (MalformedPartReferenceException e) {
            throw new MalformedSkeletonException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new MalformedSkeletonException(e.getMessage());
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }
}

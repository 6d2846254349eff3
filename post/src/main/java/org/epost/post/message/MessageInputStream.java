package org.epost.post.message;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

import org.epost.post.store.PartChunk;
import org.epost.post.store.PartReference;

/**
 * A stored message read as a stream, segment by segment: literal segments come from the skeleton, and a part is
 * fetched only when the reader reaches it, a piece (a chunk, or the whole part) at a time, so a reader that stops
 * after the header, or skips over an attachment, never fetches what it did not read. The stream yields exactly the
 * skeleton's size in bytes or fails: a piece that does not hold the offset asked for, or runs past its part, is an
 * {@link IOException}, never a short or long read.
 */
public final class MessageInputStream extends InputStream {

    /** Reads the piece of a part that holds {@code offset}, blocking (the store behind the caller's cache). */
    @FunctionalInterface
    public interface PartReader {
        PartChunk read(PartReference part, long offset) throws IOException;
    }

    private final List<MessageSkeleton.Segment> segments;
    private final PartReader parts;
    private int segment;
    /** Offset inside the current segment. */
    private long offset;
    /** The bytes of the current segment read so far: all of a literal, the piece of a part around the offset. */
    private PartChunk loaded;

    public MessageInputStream(MessageSkeleton skeleton, PartReader parts) {
        this.segments = skeleton.segments();
        this.parts = Objects.requireNonNull(parts, "parts");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buffer.length);
        if (len == 0) {
            return 0;
        }
        if (!settle()) {
            return -1;
        }
        PartChunk piece = current();
        int n = (int) Math.min(len, piece.end() - offset);
        System.arraycopy(piece.bytes(), (int) (offset - piece.offset()), buffer, off, n);
        offset += n;
        return n;
    }

    /** Skips without fetching: a part skipped over entirely is never read. */
    @Override
    public long skip(long n) {
        long skipped = 0;
        while (skipped < n && settle()) {
            long step = Math.min(n - skipped, segments.get(segment).size() - offset);
            offset += step;
            skipped += step;
        }
        return skipped;
    }

    /** The bytes left in the current segment (no fetch). */
    @Override
    public int available() {
        if (segment >= segments.size()) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, segments.get(segment).size() - offset);
    }

    /** Moves past finished segments; false at the end of the message. */
    private boolean settle() {
        while (segment < segments.size() && offset == segments.get(segment).size()) {
            segment++;
            offset = 0;
            loaded = null;
        }
        return segment < segments.size();
    }

    /** The piece of the current segment that holds the offset, read if need be. */
    private PartChunk current() throws IOException {
        if (loaded == null || offset < loaded.offset() || offset >= loaded.end()) {
            MessageSkeleton.Segment current = segments.get(segment);
            if (current instanceof MessageSkeleton.Literal literal) {
                loaded = new PartChunk(0, literal.bytes());
            } else {
                PartReference part = ((MessageSkeleton.Part) current).reference();
                PartChunk piece = parts.read(part, offset);
                if (piece.offset() > offset || piece.end() <= offset || piece.end() > part.size()) {
                    throw new IOException("part " + part.handle() + " of " + part.size() + " bytes answered "
                        + piece.bytes().length + " bytes at " + piece.offset() + " for offset " + offset);
                }
                loaded = piece;
            }
        }
        return loaded;
    }
}

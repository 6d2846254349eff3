package org.epost.post.store;

import java.util.Objects;

/** Consecutive bytes of a part, from {@code offset}: one of its chunks, or the whole part. */
public record PartChunk(long offset, byte[] bytes) {
    public PartChunk {
        Objects.requireNonNull(bytes, "bytes");
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
    }

    /** The offset just past these bytes. */
    public long end() {
        return offset + bytes.length;
    }
}

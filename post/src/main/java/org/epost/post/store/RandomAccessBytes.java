package org.epost.post.store;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A message or part read by position, so that storing it needs only the pieces being worked on in the heap, not the
 * whole of it: an array already in memory, or a file (a spilled SMTP message). Reads are thread-safe: the chunks of
 * a part are read and encrypted by several tasks at once.
 */
public interface RandomAccessBytes {
    /** The number of bytes. */
    long length();

    /**
     * A fresh array of the {@code length} bytes at {@code position}; fails with an {@link UncheckedIOException} when
     * the backing file cannot be read, and with an {@link IndexOutOfBoundsException} outside the content.
     */
    byte[] read(long position, int length);

    /** The whole content when it is an array in memory already (then nothing gains from streaming it). */
    default Optional<byte[]> array() {
        return Optional.empty();
    }

    /** The bytes {@code [position, position + length)} in order, read a piece at a time. */
    default InputStream stream(long position, long length) {
        Objects.checkFromIndexSize(position, length, length());
        return new RandomAccessInputStream(this, position, position + length);
    }

    static RandomAccessBytes of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new RandomAccessBytes() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public byte[] read(long position, int length) {
                Objects.checkFromIndexSize(position, length, bytes.length);
                return Arrays.copyOfRange(bytes, (int) position, (int) position + length);
            }

            @Override
            public Optional<byte[]> array() {
                return Optional.of(bytes);
            }
        };
    }
}

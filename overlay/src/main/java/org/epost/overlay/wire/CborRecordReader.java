package org.epost.overlay.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a structure written by {@link CborRecordWriter} from untrusted bytes, strictly: the wrong type, a missing or
 * extra element, an over-long string or list, trailing bytes and an unknown format version are all malformed input,
 * reported with the caller's exception type {@code E} (made by its {@link CanonicalCborReader.Failures}), so a
 * notification says "malformed notification" and a log "malformed log block". {@link #decodeCanonical} also requires
 * that the decoded value re-encodes to exactly its input, so every accepted value has exactly one encoding.
 *
 * @param <E> the exception malformed input is reported with (checked or unchecked)
 */
public final class CborRecordReader<E extends Exception> {
    /** Longest text string {@link #text()} accepts. */
    public static final int DEFAULT_MAX_TEXT_BYTES = 64 * 1024;

    /** Reads one value of type T from a reader positioned at it. */
    @FunctionalInterface
    public interface Decoder<T, E extends Exception> {
        T read(CborRecordReader<E> in) throws E;
    }

    private final CanonicalCborReader<E> in;
    private final CanonicalCborReader.Failures<E> failures;

    public CborRecordReader(byte[] bytes, CanonicalCborReader.Failures<E> failures) throws E {
        this.failures = failures;
        this.in = new CanonicalCborReader<>(bytes, failures);
    }

    /**
     * Decodes {@code bytes} with {@code decoder}, requires that nothing follows and that {@code encoder} gives the
     * bytes back exactly. Malformed input is reported as {@code failures} makes it; an {@link IllegalArgumentException}
     * the decoder or the encoder raises otherwise (a value's own validation) is reported through {@code failures} too,
     * as "malformed {@code what}: ...".
     *
     * @param what names the structure in messages ("notification", "manifest")
     */
    @SuppressWarnings("unchecked")
    public static <T, E extends Exception> T decodeCanonical(byte[] bytes, String what,
                                                            CanonicalCborReader.Failures<E> failures,
                                                            Decoder<T, E> decoder, Function<T, byte[]> encoder)
            throws E {
        if (bytes == null) {
            throw failures.malformed(false, "no " + what + " (null)", null);
        }
        Object[] made = new Object[1];
        CanonicalCborReader.Failures<E> recorded = (oversized, message, cause) -> {
            E failure = failures.malformed(oversized, message, cause);
            made[0] = failure;
            return failure;
        };
        T value;
        byte[] canonical;
        try {
            CborRecordReader<E> in = new CborRecordReader<>(bytes, recorded);
            value = decoder.read(in);
            in.end();
            canonical = encoder.apply(value);
        } catch (IllegalArgumentException e) {
            if (e == made[0]) {
                throw (E) e;
            }
            throw failures.malformed(false, "malformed " + what + ": " + e.getMessage(), e);
        }
        if (!Arrays.equals(bytes, canonical)) {
            throw failures.malformed(false, what + " is not in its canonical encoding", null);
        }
        return value;
    }

    /** The caller's exception for malformed input, for checks the layout itself cannot express. */
    public E malformed(String message) {
        return failures.malformed(false, message, null);
    }

    /** The caller's exception for a value beyond its bound. */
    public E oversized(String message) {
        return failures.malformed(true, message, null);
    }

    /**
     * Begins a record written by {@link CborRecordWriter#record}: an array whose first element must be
     * {@code version}; any other version is refused with a message naming both.
     */
    public void beginRecord(int version, String what) throws E {
        requireVersion(beginRecordOfAnyVersion(what), version, what);
    }

    /**
     * Begins a record whose format version the caller checks itself, with {@link #requireVersion}, once it has read
     * what says which structure this is: for a tagged union {@code [version, tag, ...]} whose variants are versioned
     * separately (PAST blocks, one version per kind). Returns the version as read.
     */
    public long beginRecordOfAnyVersion(String what) throws E {
        in.beginArray();
        if (!in.hasNextElement()) {
            throw malformed("empty " + what + " (no format version)");
        }
        return in.readLong();
    }

    /** Refuses a record of format version {@code found} unless it is {@code version}, naming both. */
    public void requireVersion(long found, int version, String what) throws E {
        if (found != version) {
            throw malformed("unknown " + what + " format version " + found + " (this version reads " + version + ")");
        }
    }

    /** Reads {@code [version, body]} ({@link CborRecordWriter#envelope}), the body with {@code body}. */
    public <T> T envelope(int version, String what, Decoder<T, E> body) throws E {
        beginRecord(version, what);
        T value = body.read(this);
        in.endArray();
        return value;
    }

    public void beginArray() throws E {
        in.beginArray();
    }

    /** Ends the innermost array (or record): no further element may follow. */
    public void endArray() throws E {
        in.endArray();
    }

    /** Whether the current array has another element (false: its end was read). */
    public boolean hasNext() throws E {
        return in.hasNextElement();
    }

    public long number() throws E {
        return in.readLong();
    }

    public long nonNegative(String what) throws E {
        long value = in.readLong();
        if (value < 0) {
            throw malformed(what + " is negative: " + value);
        }
        return value;
    }

    public int bounded(String what, int max) throws E {
        long value = nonNegative(what);
        if (value > max) {
            throw oversized(what + " " + value + " exceeds " + max);
        }
        return (int) value;
    }

    public boolean bool(String what) throws E {
        long value = in.readLong();
        if (value != 0 && value != 1) {
            throw malformed(what + " is not 0 or 1: " + value);
        }
        return value == 1;
    }

    /** A text string of at most {@link #DEFAULT_MAX_TEXT_BYTES} UTF-8 bytes. */
    public String text() throws E {
        return in.readText(DEFAULT_MAX_TEXT_BYTES);
    }

    public String text(int maxUtf8Bytes) throws E {
        return in.readText(maxUtf8Bytes);
    }

    public byte[] bytes(int maxLength) throws E {
        return in.readBytes(maxLength);
    }

    public byte[] exactBytes(String what, int length) throws E {
        byte[] value = in.readBytes(length);
        if (value.length != length) {
            throw malformed(what + " has " + value.length + " bytes, not " + length);
        }
        return value;
    }

    /** An array of zero or one element; null for none. */
    public <T> T optional(Decoder<T, E> decoder) throws E {
        in.beginArray();
        if (!in.hasNextElement()) {
            return null;
        }
        T value = decoder.read(this);
        in.endArray();
        return value;
    }

    /** An array of any number of elements (bounded by the input). */
    public <T> List<T> list(Decoder<T, E> decoder) throws E {
        return list(decoder, Integer.MAX_VALUE, "list");
    }

    /** An array of at most {@code max} elements. */
    public <T> List<T> list(Decoder<T, E> decoder, int max, String what) throws E {
        in.beginArray();
        List<T> values = new ArrayList<>();
        while (in.hasNextElement()) {
            if (values.size() == max) {
                throw oversized(what + " of more than " + max + " elements");
            }
            values.add(decoder.read(this));
        }
        return values;
    }

    /** Requires the end of the input (nothing trailing). */
    public void end() throws E {
        in.expectEndOfInput();
        in.close();
    }
}

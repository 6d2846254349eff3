package org.epost.overlay.wire;

import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a stored or sent structure ("record") in the one canonical CBOR encoding ({@link CanonicalCborWriter}):
 * definite-length arrays, minimal integers, definite-length byte and text strings, booleans as 0/1, an optional value
 * as an array of zero or one element. The same value always gives the same bytes, which content hashes, signatures
 * and convergent keys rely on.
 *
 * <p>Format-version convention: every structure is a CBOR array whose first element is its format version
 * ({@link #record(int, int)}); {@link CborRecordReader#beginRecord(int, String)} refuses any other version. A
 * structure whose body is itself one value (an array written by shared code, a recursive structure) is written as
 * {@code [version, body]} ({@link #envelope}, read by {@link CborRecordReader#envelope}).
 */
public final class CborRecordWriter {
    private final CanonicalCborWriter out;

    public CborRecordWriter(int expectedSize) {
        this.out = new CanonicalCborWriter(expectedSize);
    }

    /** A new writer whose output starts with the record array of {@code fields} fields after its format version. */
    public static CborRecordWriter versioned(int version, int fields, int expectedSize) {
        return new CborRecordWriter(expectedSize).record(version, fields);
    }

    /** {@code [version, body]}, the body written by {@code body} as exactly one value. */
    public static byte[] envelope(int version, int expectedSize, Consumer<CborRecordWriter> body) {
        CborRecordWriter out = versioned(version, 1, expectedSize);
        body.accept(out);
        return out.end().toBytes();
    }

    /** Starts a record: an array of {@code fields + 1} elements, the first the format version. */
    public CborRecordWriter record(int version, int fields) {
        if (version < 0) {
            throw new IllegalArgumentException("negative format version " + version);
        }
        out.startArray(fields + 1).number(version);
        return this;
    }

    /** Starts an array of {@code elements} elements. */
    public CborRecordWriter array(int elements) {
        out.startArray(elements);
        return this;
    }

    /** Ends the innermost array (or record). */
    public CborRecordWriter end() {
        out.endArray();
        return this;
    }

    public CborRecordWriter number(long value) {
        out.number(value);
        return this;
    }

    public CborRecordWriter bool(boolean value) {
        out.number(value ? 1 : 0);
        return this;
    }

    public CborRecordWriter text(String value) {
        out.text(value);
        return this;
    }

    public CborRecordWriter bytes(byte[] value) {
        out.bytes(value);
        return this;
    }

    /** An array of zero elements ({@code value == null}) or one, written by {@code write}. */
    public <T> CborRecordWriter optional(T value, Consumer<T> write) {
        if (value == null) {
            out.startArray(0).endArray();
        } else {
            out.startArray(1);
            write.accept(value);
            out.endArray();
        }
        return this;
    }

    /** An array of {@code values}, each written by {@code write}. */
    public <T> CborRecordWriter list(List<T> values, Consumer<T> write) {
        out.startArray(values.size());
        values.forEach(write);
        out.endArray();
        return this;
    }

    public byte[] toBytes() {
        return out.toBytes();
    }
}

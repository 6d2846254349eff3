package org.epost.mailbox.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CanonicalCborWriter;

/**
 * The canonical CBOR of the backend's records and states: {@link CanonicalCborWriter} to write, a strict
 * {@link CanonicalCborReader} to read (malformed input is a {@link RecordFormatException}), and the rule that what
 * was read re-encodes to exactly the input ({@link #decodeCanonical}), so every record has one byte representation.
 * Booleans are 0/1 and an optional value is an array of zero or one element: the reader knows no other types.
 */
final class Cbor {
    /** Longest text field (folder names, flags, property values, ACL keys...). */
    static final int MAX_TEXT_BYTES = 64 * 1024;

    private Cbor() {
    }

    /** Reads one value of type T from a reader positioned at it. */
    interface Decoder<T> {
        T read(Reader in);
    }

    /** A strict reader; every failure is a {@link RecordFormatException}. */
    static final class Reader {
        private final CanonicalCborReader<RecordFormatException> in;

        Reader(byte[] bytes) {
            this.in = new CanonicalCborReader<>(bytes, (oversized, message, cause) -> new RecordFormatException(message, cause));
        }

        void beginArray() {
            in.beginArray();
        }

        void endArray() {
            in.endArray();
        }

        boolean hasNext() {
            return in.hasNextElement();
        }

        long number() {
            return in.readLong();
        }

        long nonNegative(String what) {
            long value = in.readLong();
            if (value < 0) {
                throw new RecordFormatException(what + " is negative: " + value);
            }
            return value;
        }

        int bounded(String what, int max) {
            long value = nonNegative(what);
            if (value > max) {
                throw new RecordFormatException(what + " " + value + " exceeds " + max);
            }
            return (int) value;
        }

        boolean bool(String what) {
            long value = in.readLong();
            if (value != 0 && value != 1) {
                throw new RecordFormatException(what + " is not 0 or 1: " + value);
            }
            return value == 1;
        }

        String text() {
            return in.readText(MAX_TEXT_BYTES);
        }

        byte[] bytes(int max) {
            return in.readBytes(max);
        }

        byte[] exactBytes(String what, int length) {
            byte[] value = in.readBytes(length);
            if (value.length != length) {
                throw new RecordFormatException(what + " has " + value.length + " bytes, not " + length);
            }
            return value;
        }

        /** An array of zero or one element. */
        <T> T optional(Decoder<T> decoder) {
            in.beginArray();
            if (!in.hasNextElement()) {
                return null;
            }
            T value = decoder.read(this);
            in.endArray();
            return value;
        }

        <T> List<T> list(Decoder<T> decoder) {
            in.beginArray();
            List<T> values = new ArrayList<>();
            while (in.hasNextElement()) {
                values.add(decoder.read(this));
            }
            return values;
        }

        void end() {
            in.expectEndOfInput();
            in.close();
        }
    }

    /** Writer helpers over {@link CanonicalCborWriter}. */
    static final class Writer {
        final CanonicalCborWriter out;

        Writer(int expectedSize) {
            this.out = new CanonicalCborWriter(expectedSize);
        }

        Writer array(int elements) {
            out.startArray(elements);
            return this;
        }

        Writer end() {
            out.endArray();
            return this;
        }

        Writer number(long value) {
            out.number(value);
            return this;
        }

        Writer bool(boolean value) {
            out.number(value ? 1 : 0);
            return this;
        }

        Writer text(String value) {
            out.text(value);
            return this;
        }

        Writer bytes(byte[] value) {
            out.bytes(value);
            return this;
        }

        <T> Writer optional(T value, Consumer<T> write) {
            if (value == null) {
                out.startArray(0).endArray();
            } else {
                out.startArray(1);
                write.accept(value);
                out.endArray();
            }
            return this;
        }

        <T> Writer list(List<T> values, Consumer<T> write) {
            out.startArray(values.size());
            values.forEach(write);
            out.endArray();
            return this;
        }

        byte[] toBytes() {
            return out.toBytes();
        }
    }

    /** Decodes {@code bytes} and requires that {@code encoder} gives them back exactly. */
    static <T> T decodeCanonical(byte[] bytes, Decoder<T> decoder, java.util.function.Function<T, byte[]> encoder,
                                 String what) {
        Reader in = new Reader(bytes);
        T value;
        try {
            value = decoder.read(in);
            in.end();
        } catch (IllegalArgumentException e) {
            if (e instanceof RecordFormatException format) {
                throw new RecordFormatException("malformed " + what + ": " + format.getMessage(), format);
            }
            throw new RecordFormatException("malformed " + what, e);
        }
        if (!Arrays.equals(bytes, encoder.apply(value))) {
            throw new RecordFormatException(what + " is not in its canonical encoding");
        }
        return value;
    }
}

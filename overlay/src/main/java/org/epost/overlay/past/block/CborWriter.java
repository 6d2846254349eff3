package org.epost.overlay.past.block;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes the fixed, documented block layouts with Jackson's CBOR generator: definite-length arrays, minimal
 * integers, definite-length byte and text strings. The output of this class is by definition the canonical encoding.
 */
final class CborWriter {
    static final CBORFactory FACTORY = CBORFactory.builder().build();

    private final ByteArrayOutputStream out;
    private final CBORGenerator generator;

    CborWriter(int expectedSize) {
        out = new ByteArrayOutputStream(expectedSize);
        try {
            generator = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to memory cannot fail", e);
        }
    }

    CborWriter startArray(int elements) {
        return io(() -> generator.writeStartArray(null, elements));
    }

    CborWriter endArray() {
        return io(generator::writeEndArray);
    }

    CborWriter number(long value) {
        return io(() -> generator.writeNumber(value));
    }

    CborWriter bytes(byte[] value) {
        return io(() -> generator.writeBinary(value));
    }

    CborWriter text(String value) {
        return io(() -> generator.writeString(value));
    }

    byte[] toBytes() {
        io(generator::close);
        return out.toByteArray();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private CborWriter io(IoAction action) {
        try {
            action.run();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to memory cannot fail", e);
        }
    }
}

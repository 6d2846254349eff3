package org.epost.overlay.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

/**
 * Writes fixed, documented layouts (blocks, certificates, identity payloads) with Jackson's CBOR generator:
 * definite-length arrays, minimal integers, definite-length byte and text strings. What this class writes is by
 * definition the canonical encoding; readers ({@link CanonicalCborReader}) re-encode to check it.
 */
public final class CanonicalCborWriter {
    static final CBORFactory FACTORY = CBORFactory.builder().build();

    private final ByteArrayOutputStream out;
    private final CBORGenerator generator;

    public CanonicalCborWriter(int expectedSize) {
        out = new ByteArrayOutputStream(expectedSize);
        try {
            generator = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to memory cannot fail", e);
        }
    }

    public CanonicalCborWriter startArray(int elements) {
        return io(() -> generator.writeStartArray(null, elements));
    }

    public CanonicalCborWriter endArray() {
        return io(generator::writeEndArray);
    }

    public CanonicalCborWriter number(long value) {
        return io(() -> generator.writeNumber(value));
    }

    public CanonicalCborWriter bytes(byte[] value) {
        return io(() -> generator.writeBinary(value));
    }

    public CanonicalCborWriter text(String value) {
        return io(() -> generator.writeString(value));
    }

    public byte[] toBytes() {
        io(generator::close);
        return out.toByteArray();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private CanonicalCborWriter io(IoAction action) {
        try {
            action.run();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to memory cannot fail", e);
        }
    }
}

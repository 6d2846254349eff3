package org.epost.post.accounts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

/**
 * The accounts layer's canonical CBOR, written the same way as the overlay's block layouts (Jackson's generator:
 * definite lengths, minimal integers) and read strictly: a fixed token sequence, bounded lengths, and then the
 * decoded value must re-encode to exactly the input ({@link #requireCanonical}), so every accepted value has exactly
 * one byte representation.
 */
final class Cbor {
    private static final CBORFactory FACTORY = CBORFactory.builder().build();

    private Cbor() {
    }

    /** Malformed, non-canonical or out-of-bounds input. */
    static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }

        FormatException(String message, Throwable cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }

    static void requireCanonical(byte[] input, byte[] reencoded) throws FormatException {
        if (!Arrays.equals(input, reencoded)) {
            throw new FormatException("not the canonical encoding");
        }
    }

    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        private final CBORGenerator generator;

        Writer() {
            try {
                generator = FACTORY.createGenerator(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Writer array(int elements) {
            return io(() -> generator.writeStartArray(null, elements));
        }

        Writer end() {
            return io(generator::writeEndArray);
        }

        Writer number(long value) {
            return io(() -> generator.writeNumber(value));
        }

        Writer bytes(byte[] value) {
            return io(() -> generator.writeBinary(value));
        }

        Writer text(String value) {
            return io(() -> generator.writeString(value));
        }

        byte[] toBytes() {
            io(generator::close);
            return out.toByteArray();
        }

        private interface IoAction {
            void run() throws IOException;
        }

        private Writer io(IoAction action) {
            try {
                action.run();
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException("Writing to memory cannot fail", e);
            }
        }
    }

    static final class Reader implements AutoCloseable {
        private final CBORParser parser;
        private JsonToken pushedBack;

        Reader(byte[] input) throws FormatException {
            try {
                parser = (CBORParser) FACTORY.createParser(input);
            } catch (IOException e) {
                throw new FormatException("unreadable CBOR", e);
            }
        }

        void beginArray() throws FormatException {
            expect(JsonToken.START_ARRAY, "array");
        }

        boolean hasNext() throws FormatException {
            JsonToken token = next();
            if (token == JsonToken.END_ARRAY) {
                return false;
            }
            pushedBack = token;
            return true;
        }

        void endArray() throws FormatException {
            expect(JsonToken.END_ARRAY, "end of array");
        }

        long readLong() throws FormatException {
            expect(JsonToken.VALUE_NUMBER_INT, "integer");
            try {
                if (parser.getNumberType() != CBORParser.NumberType.INT
                        && parser.getNumberType() != CBORParser.NumberType.LONG) {
                    throw new FormatException("integer out of range");
                }
                return parser.getLongValue();
            } catch (IOException e) {
                throw new FormatException("bad integer", e);
            }
        }

        byte[] readBytes(int maxLength) throws FormatException {
            expect(JsonToken.VALUE_EMBEDDED_OBJECT, "byte string");
            byte[] value;
            try {
                value = parser.getBinaryValue();
            } catch (IOException e) {
                throw new FormatException("bad byte string", e);
            }
            if (value == null) {
                throw new FormatException("expected byte string");
            }
            if (value.length > maxLength) {
                throw new FormatException("byte string of " + value.length + " bytes exceeds " + maxLength);
            }
            return value;
        }

        String readText(int maxUtf8Bytes) throws FormatException {
            expect(JsonToken.VALUE_STRING, "text string");
            String value;
            try {
                value = parser.getText();
            } catch (IOException e) {
                throw new FormatException("bad text string", e);
            }
            if (value.getBytes(StandardCharsets.UTF_8).length > maxUtf8Bytes) {
                throw new FormatException("text string exceeds " + maxUtf8Bytes + " bytes");
            }
            return value;
        }

        void expectText(String expected) throws FormatException {
            String value = readText(expected.length() * 4 + 16);
            if (!value.equals(expected)) {
                throw new FormatException("expected \"" + expected + "\" but found \"" + value + "\"");
            }
        }

        void expectEnd() throws FormatException {
            if (next() != null) {
                throw new FormatException("trailing bytes");
            }
        }

        @Override
        public void close() {
            try {
                parser.close();
            } catch (IOException e) {
                // nothing held when parsing a byte array
            }
        }

        private void expect(JsonToken expected, String what) throws FormatException {
            JsonToken token = next();
            if (token != expected) {
                throw new FormatException("expected " + what + " but found " + token);
            }
        }

        private JsonToken next() throws FormatException {
            if (pushedBack != null) {
                JsonToken token = pushedBack;
                pushedBack = null;
                return token;
            }
            try {
                return parser.nextToken();
            } catch (IOException | RuntimeException e) {
                throw new FormatException("truncated or invalid CBOR", e);
            }
        }
    }
}

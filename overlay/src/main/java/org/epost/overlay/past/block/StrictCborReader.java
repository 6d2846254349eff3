package org.epost.overlay.past.block;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a fixed block layout from untrusted bytes through Jackson's CBOR parser, expecting exactly the token
 * sequence of the layout: the wrong type, a missing or extra element, or trailing bytes are all malformed. Lengths
 * are checked against the caller's bound. It does not check that the encoding is the canonical one; the codec does
 * that by re-encoding.
 */
final class StrictCborReader implements AutoCloseable {
    private final CBORParser parser;
    /** A token read ahead by {@link #hasNextElement()}. */
    private JsonToken pushedBack;

    StrictCborReader(byte[] bytes) throws MalformedBlockException {
        try {
            parser = (CBORParser) CborWriter.FACTORY.createParser(bytes);
        } catch (IOException e) {
            throw new MalformedBlockException("unreadable CBOR", e);
        }
    }

    void beginArray() throws MalformedBlockException {
        expect(JsonToken.START_ARRAY, "array");
    }

    /** Whether the current array has another element, consuming its end if not. */
    boolean hasNextElement() throws MalformedBlockException {
        JsonToken token = next();
        if (token == JsonToken.END_ARRAY) {
            return false;
        }
        pushedBack = token;
        return true;
    }

    void endArray() throws MalformedBlockException {
        expect(JsonToken.END_ARRAY, "end of array");
    }

    long readLong() throws MalformedBlockException {
        expect(JsonToken.VALUE_NUMBER_INT, "integer");
        try {
            if (parser.getNumberType() != CBORParser.NumberType.INT
                    && parser.getNumberType() != CBORParser.NumberType.LONG) {
                throw new MalformedBlockException("integer out of range");
            }
            return parser.getLongValue();
        } catch (IOException e) {
            throw new MalformedBlockException("bad integer", e);
        }
    }

    byte[] readBytes(int maxLength) throws MalformedBlockException {
        expect(JsonToken.VALUE_EMBEDDED_OBJECT, "byte string");
        byte[] value;
        try {
            value = parser.getBinaryValue();
        } catch (IOException e) {
            throw new MalformedBlockException("bad byte string", e);
        }
        if (value == null) {
            throw new MalformedBlockException("expected byte string");
        }
        if (value.length > maxLength) {
            throw new MalformedBlockException(RejectionReason.OVERSIZED,
                    "byte string of " + value.length + " bytes exceeds " + maxLength);
        }
        return value;
    }

    String readText(int maxUtf8Bytes) throws MalformedBlockException {
        expect(JsonToken.VALUE_STRING, "text string");
        String value;
        try {
            value = parser.getText();
        } catch (IOException e) {
            throw new MalformedBlockException("bad text string", e);
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > maxUtf8Bytes) {
            throw new MalformedBlockException(RejectionReason.OVERSIZED, "text string exceeds " + maxUtf8Bytes + " bytes");
        }
        return value;
    }

    void expectEndOfInput() throws MalformedBlockException {
        if (next() != null) {
            throw new MalformedBlockException("trailing bytes after the block");
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // Parsing from a byte array holds no resources worth reporting.
        }
    }

    private void expect(JsonToken expected, String what) throws MalformedBlockException {
        JsonToken token = next();
        if (token != expected) {
            throw new MalformedBlockException("expected " + what + " but found " + token);
        }
    }

    private JsonToken next() throws MalformedBlockException {
        if (pushedBack != null) {
            JsonToken token = pushedBack;
            pushedBack = null;
            return token;
        }
        try {
            return parser.nextToken();
        } catch (IOException e) {
            throw new MalformedBlockException("truncated or invalid CBOR", e);
        }
    }
}

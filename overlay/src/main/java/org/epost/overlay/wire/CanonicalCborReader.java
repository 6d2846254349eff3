package org.epost.overlay.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

/**
 * Reads a fixed layout from untrusted bytes through Jackson's CBOR parser, expecting exactly the layout's token
 * sequence: the wrong type, a missing or extra element, an over-long string or trailing bytes are all malformed.
 * Each user reports malformed input with its own exception type ({@link Failures}), so block decoding says
 * "malformed block" and account decoding "malformed account". It does not check that the encoding is the canonical
 * one; callers do that by re-encoding with {@link CanonicalCborWriter}.
 *
 * @param <E> the exception malformed input is reported with
 */
public final class CanonicalCborReader<E extends Exception> implements AutoCloseable {

    /** Makes the caller's exception for malformed input. */
    public interface Failures<E extends Exception> {
        /** @param oversized whether a length exceeded the caller's bound (as opposed to a wrong structure) */
        E malformed(boolean oversized, String message, Throwable cause);
    }

    private final Failures<E> failures;
    private final CBORParser parser;
    /** A token read ahead by {@link #hasNextElement()}. */
    private JsonToken pushedBack;

    public CanonicalCborReader(byte[] bytes, Failures<E> failures) throws E {
        this.failures = failures;
        try {
            parser = (CBORParser) CanonicalCborWriter.FACTORY.createParser(bytes);
        } catch (IOException e) {
            throw failures.malformed(false, "unreadable CBOR", e);
        }
    }

    public void beginArray() throws E {
        expect(JsonToken.START_ARRAY, "array");
    }

    /** Whether the current array has another element (false: its end was read). */
    public boolean hasNextElement() throws E {
        JsonToken token = next();
        if (token == JsonToken.END_ARRAY) {
            return false;
        }
        pushedBack = token;
        return true;
    }

    public void endArray() throws E {
        expect(JsonToken.END_ARRAY, "end of array");
    }

    public long readLong() throws E {
        expect(JsonToken.VALUE_NUMBER_INT, "integer");
        try {
            if (parser.getNumberType() != CBORParser.NumberType.INT && parser.getNumberType() != CBORParser.NumberType.LONG) {
                throw failures.malformed(false, "integer out of range", null);
            }
            return parser.getLongValue();
        } catch (IOException e) {
            throw failures.malformed(false, "bad integer", e);
        }
    }

    public byte[] readBytes(int maxLength) throws E {
        expect(JsonToken.VALUE_EMBEDDED_OBJECT, "byte string");
        byte[] value;
        try {
            value = parser.getBinaryValue();
        } catch (IOException e) {
            throw failures.malformed(false, "bad byte string", e);
        }
        if (value == null) {
            throw failures.malformed(false, "expected byte string", null);
        }
        if (value.length > maxLength) {
            throw failures.malformed(true, "byte string of " + value.length + " bytes exceeds " + maxLength, null);
        }
        return value;
    }

    public String readText(int maxUtf8Bytes) throws E {
        expect(JsonToken.VALUE_STRING, "text string");
        String value;
        try {
            value = parser.getText();
        } catch (IOException e) {
            throw failures.malformed(false, "bad text string", e);
        }
        // The parser turns an encoded surrogate (not UTF-8, e.g. ED B0 80) into a lone surrogate char; such a string
        // cannot be written back, so it is malformed here rather than a failure of whoever re-encodes it (fuzzing).
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(value)) {
            throw failures.malformed(false, "text string is not well-formed UTF-8", null);
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > maxUtf8Bytes) {
            throw failures.malformed(true, "text string exceeds " + maxUtf8Bytes + " bytes", null);
        }
        return value;
    }

    /** Reads a text string that must equal {@code expected} (a layout's fixed tag). */
    public void expectText(String expected) throws E {
        String value = readText(expected.length() * 4 + 16);
        if (!value.equals(expected)) {
            throw failures.malformed(false, "expected \"" + expected + "\" but found \"" + value + "\"", null);
        }
    }

    public void expectEndOfInput() throws E {
        if (next() != null) {
            throw failures.malformed(false, "trailing bytes", null);
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

    private void expect(JsonToken expected, String what) throws E {
        JsonToken token = next();
        if (token != expected) {
            throw failures.malformed(false, "expected " + what + " but found " + token, null);
        }
    }

    private JsonToken next() throws E {
        if (pushedBack != null) {
            JsonToken token = pushedBack;
            pushedBack = null;
            return token;
        }
        try {
            return parser.nextToken();
        } catch (IOException e) {
            throw failures.malformed(false, "truncated or invalid CBOR", e);
        }
    }
}

package org.epost.interop.origin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header fields of a raw RFC 5322 message, located by byte offsets so that a field can be dropped without
 * touching a byte of the rest (the body, other fields, their folding and line endings). A field is its first line
 * and every following line that starts with a space or tab (folding); its name is what precedes the first colon,
 * with trailing white space dropped (RFC 5322's obsolete {@code name WSP ":"} form, which some parsers accept, counts
 * too). The header ends at the first empty line (CRLF or bare LF), or at the end of the message when there is none.
 */
final class HeaderFields {
    /** One field: its lower-cased name, its unfolded value, and where its bytes are. */
    record Field(String lowerName, String value, int start, int end) {
    }

    private final byte[] message;
    private final List<Field> fields;
    private final int headerEnd;

    private HeaderFields(byte[] message, List<Field> fields, int headerEnd) {
        this.message = message;
        this.fields = fields;
        this.headerEnd = headerEnd;
    }

    static HeaderFields of(byte[] message) {
        List<Field> fields = new ArrayList<>();
        int position = 0;
        int fieldStart = -1;
        while (position < message.length) {
            int lineEnd = lineEnd(message, position);
            boolean empty = lineEnd == position || (lineEnd == position + 1 && message[position] == '\r');
            if (empty) {
                break;
            }
            boolean continuation = message[position] == ' ' || message[position] == '\t';
            if (!continuation && fieldStart >= 0) {
                fields.add(field(message, fieldStart, position));
                fieldStart = -1;
            }
            if (!continuation || fieldStart < 0) {
                // a continuation line with no field before it is kept as a field of its own (no name matches it)
                fieldStart = fieldStart < 0 ? position : fieldStart;
            }
            position = Math.min(lineEnd + 1, message.length);
        }
        if (fieldStart >= 0) {
            fields.add(field(message, fieldStart, position));
        }
        return new HeaderFields(message, List.copyOf(fields), position);
    }

    List<Field> fields() {
        return fields;
    }

    List<Field> named(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return fields.stream().filter(f -> f.lowerName().equals(lower)).toList();
    }

    /** Where the header section ends (the empty line, or the end of the message). */
    int headerEnd() {
        return headerEnd;
    }

    byte[] message() {
        return message;
    }

    /** Index of the LF ending the line at {@code from}, or the message length when the last line has none. */
    private static int lineEnd(byte[] message, int from) {
        for (int i = from; i < message.length; i++) {
            if (message[i] == '\n') {
                return i;
            }
        }
        return message.length;
    }

    private static Field field(byte[] message, int start, int end) {
        String raw = new String(message, start, end - start, StandardCharsets.ISO_8859_1);
        int colon = raw.indexOf(':');
        if (colon < 0) {
            return new Field("", "", start, end);
        }
        String name = raw.substring(0, colon).stripTrailing().toLowerCase(Locale.ROOT);
        String value = raw.substring(colon + 1).replaceAll("\r?\n", "").strip();
        return new Field(name, value, start, end);
    }
}

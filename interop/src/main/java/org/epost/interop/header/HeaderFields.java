package org.epost.interop.header;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The header fields of a raw RFC 5322 message, located by byte offsets so that a field can be dropped without
 * touching a byte of the rest (the body, other fields, their folding and line endings). A field is its first line
 * and every following line that starts with a space or tab (folding); its name is what precedes the first colon,
 * with trailing white space dropped (RFC 5322's obsolete {@code name WSP ":"} form, which some parsers accept, counts
 * too). The header ends at the first empty line (CRLF or bare LF), or at the end of the message when there is none.
 */
public final class HeaderFields {
    /** One field: its lower-cased name, its unfolded value, and where its bytes are. */
    public record Field(String lowerName, String value, int start, int end) {
    }

    private final List<Field> fields;
    private final int headerEnd;

    private HeaderFields(List<Field> fields, int headerEnd) {
        this.fields = fields;
        this.headerEnd = headerEnd;
    }

    public static HeaderFields of(byte[] message) {
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
        return new HeaderFields(List.copyOf(fields), position);
    }

    public List<Field> fields() {
        return fields;
    }

    public List<Field> named(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return fields.stream().filter(f -> f.lowerName().equals(lower)).toList();
    }

    /** Where the header section ends (the empty line, or the end of the message). */
    public int headerEnd() {
        return headerEnd;
    }

    /**
     * {@code message} with one field put first and the fields {@code drop} selects removed; every other byte as it
     * was (the new field ends with CRLF, whatever the message's line endings).
     */
    public static byte[] rewrite(byte[] message, String firstField, Predicate<Field> drop) {
        byte[] line = (firstField + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + line.length);
        out.write(line, 0, line.length);
        int copied = 0;
        for (Field field : of(message).fields()) {
            if (drop.test(field)) {
                out.write(message, copied, field.start() - copied);
                copied = field.end();
            }
        }
        out.write(message, copied, message.length - copied);
        return out.toByteArray();
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

package org.epost.post.message;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.ContentTypeFieldLenientImpl;
import org.apache.james.mime4j.stream.RawField;

/**
 * The few header fields of a MIME entity that tell how its body is structured (Content-Type, Content-Transfer-Encoding)
 * and the Subject, read from raw header bytes: fields are unfolded and read as ISO-8859-1 (byte for byte), the
 * Content-Type is parsed by mime4j's lenient parser. Only the first occurrence of each field counts; lines that are
 * not fields are skipped.
 */
final class EntityHeader {
    private final String contentType;
    private final String transferEncoding;
    private final String subject;

    private EntityHeader(String contentType, String transferEncoding, String subject) {
        this.contentType = contentType;
        this.transferEncoding = transferEncoding;
        this.subject = subject;
    }

    /** The header fields in {@code m[start, end)}: CRLF-separated lines, folded lines continuing with SP or HT. */
    static EntityHeader parse(byte[] m, int start, int end) {
        String contentType = null;
        String transferEncoding = null;
        String subject = null;
        int line = start;
        while (line < end) {
            int fieldEnd = line;
            // a field runs until a CRLF that is not followed by SP / HT (a folded continuation)
            while (fieldEnd < end) {
                if (m[fieldEnd] == '\r' && fieldEnd + 1 < end && m[fieldEnd + 1] == '\n'
                        && !(fieldEnd + 2 < end && (m[fieldEnd + 2] == ' ' || m[fieldEnd + 2] == '\t'))) {
                    break;
                }
                fieldEnd++;
            }
            String field = new String(m, line, fieldEnd - line, StandardCharsets.ISO_8859_1);
            int colon = field.indexOf(':');
            if (colon > 0) {
                String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = unfold(field.substring(colon + 1)).trim();
                if (name.equals("content-type") && contentType == null) {
                    contentType = value;
                } else if (name.equals("content-transfer-encoding") && transferEncoding == null) {
                    transferEncoding = value.toLowerCase(Locale.ROOT);
                } else if (name.equals("subject") && subject == null) {
                    subject = value;
                }
            }
            line = fieldEnd + 2;
        }
        return new EntityHeader(contentType, transferEncoding, subject);
    }

    /**
     * The header of the message {@code message} (up to its first empty line, or all of it), for its Subject.
     */
    static EntityHeader ofMessage(byte[] message) {
        int end = message.length;
        for (int i = 0; i + 3 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r' && message[i + 3] == '\n') {
                end = i + 2;
                break;
            }
        }
        return parse(message, 0, end);
    }

    private static String unfold(String value) {
        return value.replace("\r\n", "");
    }

    private ContentTypeField parsedContentType() {
        if (contentType == null) {
            return null;
        }
        return ContentTypeFieldLenientImpl.PARSER.parse(new RawField("Content-Type", contentType), DecodeMonitor.SILENT);
    }

    /** The boundary when this entity is a multipart with a non-empty boundary parameter, else null. */
    String multipartBoundary() {
        ContentTypeField type = parsedContentType();
        if (type == null || !type.isMultipart()) {
            return null;
        }
        String boundary = type.getBoundary();
        return boundary == null || boundary.isEmpty() ? null : boundary;
    }

    /** Whether the body is a message of its own (message/rfc822, not transfer-encoded). */
    boolean isEmbeddedMessage() {
        ContentTypeField type = parsedContentType();
        if (type == null || !type.isMimeType(ContentTypeField.TYPE_MESSAGE_RFC822)) {
            return false;
        }
        return transferEncoding == null || transferEncoding.equals("7bit") || transferEncoding.equals("8bit")
            || transferEncoding.equals("binary");
    }

    /** The Subject with RFC 2047 encoded words decoded, or "" when there is none. */
    String subject() {
        return subject == null ? "" : DecoderUtil.decodeEncodedWords(subject, DecodeMonitor.SILENT);
    }
}

package org.epost.mailets;

import java.io.ByteArrayOutputStream;

/**
 * Removes Bcc header fields from a raw message, as James's transport processor does ({@code RemoveMimeHeader bcc})
 * for the mail it delivers: blind copies must not tell the other recipients who else got the message. Works on the
 * raw bytes (every other byte stays as it was); only a CRLF-delimited header section is touched.
 */
final class BccHeader {
    private BccHeader() {
    }

    static byte[] strip(byte[] message) {
        int headerEnd = headerEnd(message);
        ByteArrayOutputStream out = null;
        int copied = 0;
        int field = 0;
        while (field < headerEnd) {
            int next = fieldEnd(message, field, headerEnd);
            if (isBcc(message, field, next)) {
                if (out == null) {
                    out = new ByteArrayOutputStream(message.length);
                }
                out.write(message, copied, field - copied);
                copied = next;
            }
            field = next;
        }
        if (out == null) {
            return message;
        }
        out.write(message, copied, message.length - copied);
        return out.toByteArray();
    }

    /** Where the header section ends (just after the CRLF of its last field), or 0 when there is no empty line. */
    private static int headerEnd(byte[] m) {
        for (int i = 0; i + 3 < m.length; i++) {
            if (m[i] == '\r' && m[i + 1] == '\n' && m[i + 2] == '\r' && m[i + 3] == '\n') {
                return i + 2;
            }
        }
        return 0;
    }

    /** The end (after its CRLF) of the field starting at {@code start}, folded continuation lines included. */
    private static int fieldEnd(byte[] m, int start, int headerEnd) {
        int i = start;
        while (i + 1 < headerEnd) {
            if (m[i] == '\r' && m[i + 1] == '\n' && !(i + 2 < headerEnd && (m[i + 2] == ' ' || m[i + 2] == '\t'))) {
                return i + 2;
            }
            i++;
        }
        return headerEnd;
    }

    private static boolean isBcc(byte[] m, int start, int end) {
        return end - start >= 4 && (m[start] | 0x20) == 'b' && (m[start + 1] | 0x20) == 'c' && (m[start + 2] | 0x20) == 'c'
            && (m[start + 3] == ':' || m[start + 3] == ' ' || m[start + 3] == '\t');
    }
}

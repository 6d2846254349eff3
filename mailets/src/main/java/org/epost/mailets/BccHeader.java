package org.epost.mailets;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

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

    /**
     * Header bytes a {@link #stripping} stream holds back at most: a header section longer than this goes through as
     * it is (a Bcc field that far down stays; no real header is that long).
     */
    static final int MAX_HEADER_BYTES = 256 * 1024;

    /**
     * What is written into the result goes to {@code out} without its Bcc fields ({@link #strip} of the header
     * section): the header is held back until its empty line (or {@value #MAX_HEADER_BYTES} bytes), the body passes
     * straight through. Closing the result closes {@code out}.
     */
    static OutputStream stripping(OutputStream out) {
        return new FilterOutputStream(out) {
            private ByteArrayOutputStream head = new ByteArrayOutputStream();

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (head == null) {
                    out.write(bytes, offset, length);
                    return;
                }
                head.write(bytes, offset, length);
                byte[] held = head.toByteArray();
                if (headerEnd(held) > 0 || held.length > MAX_HEADER_BYTES) {
                    release(held);
                }
            }

            private void release(byte[] held) throws IOException {
                head = null;
                out.write(strip(held));
            }

            @Override
            public void close() throws IOException {
                if (head != null) {
                    release(head.toByteArray());
                }
                super.close();
            }
        };
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

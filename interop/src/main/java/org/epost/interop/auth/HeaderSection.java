package org.epost.interop.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a message's header section off a stream: every byte up to and including the empty line that ends it (CRLF
 * or bare LF), or everything when there is none; the body stays in the stream. Bounded, because only the header is
 * held in memory: a header longer than {@code maxBytes} is reported as {@code null}.
 */
public final class HeaderSection {
    private HeaderSection() {
    }

    public static byte[] read(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream(4096);
        boolean lineStart = true;
        boolean crAtLineStart = false;
        int b;
        while ((b = in.read()) >= 0) {
            header.write(b);
            if (header.size() > maxBytes) {
                return null;
            }
            if (b == '\n') {
                if (lineStart || crAtLineStart) {
                    return header.toByteArray();
                }
                lineStart = true;
                crAtLineStart = false;
            } else if (b == '\r' && lineStart) {
                crAtLineStart = true;
                lineStart = false;
            } else {
                lineStart = false;
                crAtLineStart = false;
            }
        }
        return header.toByteArray();
    }
}

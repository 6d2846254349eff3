package org.epost.interop.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import org.epost.mailbox.mail.HeaderSectionMeter;

/**
 * Reads a message's header section off a stream: every byte up to and including the empty line that ends it (CRLF
 * or bare LF), or everything when there is none; the body stays in the stream. Bounded, because only the header is
 * held in memory: a header longer than {@code maxBytes} is reported as {@code null}. Counted by
 * {@link HeaderSectionMeter}, as ePOST's SMTP hook counts it.
 */
public final class HeaderSection {
    private HeaderSection() {
    }

    public static byte[] read(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream(4096);
        HeaderSectionMeter meter = new HeaderSectionMeter(maxBytes);
        int b;
        while (!meter.decided() && (b = in.read()) >= 0) {
            header.write(b);
            meter.write(b);
        }
        return meter.over() ? null : header.toByteArray();
    }
}

package org.epost.mailbox.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.epost.post.delivery.PostGateway;

/**
 * Measures a message's header section as it streams by, holding none of it: every byte up to and including the empty
 * line that ends it (CRLF or bare LF), or the whole message when there is none. The recipient's peer reads the header
 * with it too ({@code HeaderSection.read} in {@code InboxAppender}). One limit for both ends, {@link #MAX_HEADER_BYTES}
 * unless {@code post.message.header.limit} lowers it: the SMTP hook refuses what the recipient's peer would refuse, so
 * that a mail the client got a 250 for is not bounced later for its header.
 */
public final class HeaderSectionMeter extends OutputStream {
    /** The longest header section a peer accepts unless configured lower: {@link PostGateway#MAX_HEADER_BYTES}. */
    public static final int MAX_HEADER_BYTES = PostGateway.MAX_HEADER_BYTES;

    private final long maxBytes;
    private long length;
    private boolean lineStart = true;
    private boolean crAtLineStart;
    private boolean ended;

    public HeaderSectionMeter(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the longest header section must be positive, not " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Whether the header section at the start of {@code in} is over {@code maxBytes}; reads {@code in} only until
     * that is known (at most {@code maxBytes + 1} bytes of header, plus one buffer).
     */
    public static boolean over(InputStream in, long maxBytes) throws IOException {
        HeaderSectionMeter meter = new HeaderSectionMeter(maxBytes);
        byte[] buffer = new byte[8192];
        int read;
        while (!meter.decided() && (read = in.read(buffer)) >= 0) {
            meter.write(buffer, 0, read);
        }
        return meter.over();
    }

    @Override
    public void write(int b) {
        if (decided()) {
            return;
        }
        length++;
        if (length > maxBytes) {
            return;
        }
        if (b == '\n') {
            ended = lineStart || crAtLineStart;
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

    @Override
    public void write(byte[] bytes, int offset, int count) {
        for (int i = offset; i < offset + count && !decided(); i++) {
            write(bytes[i]);
        }
    }

    /** Whether more bytes change nothing: the header section ended, or is over the limit already. */
    public boolean decided() {
        return ended || over();
    }

    /** Whether the header section seen so far is over the limit (a section without its end is all that came). */
    public boolean over() {
        return length > maxBytes;
    }
}

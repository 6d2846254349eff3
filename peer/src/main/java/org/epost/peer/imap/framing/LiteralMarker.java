package org.epost.peer.imap.framing;

/**
 * The literal announced at the end of a line: {@code {n}} (synchronizing: the client waits for "+") or {@code {n+}}
 * (LITERAL+, RFC 7888: the octets follow at once), then CRLF or a bare LF (James accepts both).
 *
 * @param size the announced number of octets (meaningless when {@code unreadable})
 * @param synchronizing whether the client waits for a continuation request
 * @param unreadable the marker has more digits than an int-sized literal can have, or a value above
 *     {@link Integer#MAX_VALUE}: the framer cannot know where the literal ends
 */
record LiteralMarker(long size, boolean synchronizing, boolean unreadable) {
    private static final int MAX_DIGITS = 10;

    /**
     * The marker at the end of a line, or null if the line has none (then the command ends with it). A line with
     * a minus sign, letters or nothing between the braces has no marker: James's parser answers it with BAD.
     *
     * @param tail the line's last octets, LF included (at most a small window of them)
     * @param lineLength the whole line's length: tells whether a run of digits reaching the window's start is cut
     */
    static LiteralMarker find(byte[] tail, long lineLength) {
        int end = tail.length;
        if (end == 0 || tail[end - 1] != '\n') {
            return null;
        }
        end--;
        if (end > 0 && tail[end - 1] == '\r') {
            end--;
        }
        if (end == 0 || tail[end - 1] != '}') {
            return null;
        }
        end--;
        boolean synchronizing = true;
        if (end > 0 && tail[end - 1] == '+') {
            synchronizing = false;
            end--;
        }
        int digitsEnd = end;
        while (end > 0 && tail[end - 1] >= '0' && tail[end - 1] <= '9') {
            end--;
        }
        int digits = digitsEnd - end;
        if (digits == 0) {
            return null;
        }
        if (end == 0) {
            // The digits reach the start of what was kept: more digits than the window holds (no literal size has
            // that many) if the line is longer than the window, else a line of digits and "}" with no "{".
            return lineLength > tail.length ? new LiteralMarker(-1, synchronizing, true) : null;
        }
        if (tail[end - 1] != '{') {
            return null;
        }
        if (digits > MAX_DIGITS) {
            return new LiteralMarker(-1, synchronizing, true);
        }
        long size = Long.parseLong(new String(tail, end, digits, java.nio.charset.StandardCharsets.US_ASCII));
        if (size > Integer.MAX_VALUE) {
            return new LiteralMarker(size, synchronizing, true);
        }
        return new LiteralMarker(size, synchronizing, false);
    }
}

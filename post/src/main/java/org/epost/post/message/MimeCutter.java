package org.epost.post.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.epost.post.store.RandomAccessBytes;

/**
 * Cuts a raw RFC 5322 message into contiguous ranges: MIME leaf bodies of at least the leaf threshold (stored as
 * parts of their own, so that one attachment sent in many messages is stored once) and everything else (headers,
 * boundary lines, preambles, epilogues, small bodies) kept inline.
 *
 * <p>The cut follows the raw bytes, never a re-serialization: multipart bodies are split at their delimiter lines
 * (RFC 2046 section 5.1.1; the CRLF before a delimiter belongs to it), {@code message/rfc822} bodies are cut as
 * messages of their own. Whatever does not follow the rules strictly (no empty line after the header, a bare CR or LF
 * in a header, a multipart without its closing delimiter, nesting deeper than {@value #MAX_DEPTH}) is not guessed at:
 * that entity is treated as one leaf. The ranges always cover the message exactly, so any input round-trips; only the
 * amount of sharing depends on how well-formed it is.
 */
final class MimeCutter {
    static final int MAX_DEPTH = 16;
    private static final int MAX_BOUNDARY_CHARS = 200;

    /** The bytes {@code [start, end)} of the message, kept inline or stored as a part ({@code leaf}). */
    record Range(int start, int end, boolean leaf) {
        int length() {
            return end - start;
        }
    }

    private final int leafThreshold;

    /** @param leafThreshold leaf bodies of at least this many bytes become ranges of their own */
    MimeCutter(int leafThreshold) {
        if (leafThreshold < 1) {
            throw new IllegalArgumentException("leafThreshold must be positive");
        }
        this.leafThreshold = leafThreshold;
    }

    /** Non-empty ranges covering {@code message} from its first to its last byte, in order; no two inline ranges adjacent. */
    List<Range> cut(byte[] message) {
        return cut(new ByteWindow(RandomAccessBytes.of(message)));
    }

    /** The same ranges for a message read through {@code message} (in memory or spilled to a file). */
    List<Range> cut(ByteWindow message) {
        List<Range> ranges = new ArrayList<>();
        entity(message, 0, message.length(), 0, ranges);
        return ranges;
    }

    private void entity(ByteWindow m, int start, int end, int depth, List<Range> out) {
        if (start == end) {
            return;
        }
        int bodyStart = bodyStart(m, start, end);
        if (bodyStart < 0 || depth > MAX_DEPTH || hasBareLineBreak(m, start, bodyStart)) {
            leaf(out, start, end);
            return;
        }
        EntityHeader header = EntityHeader.parse(m.copy(start, bodyStart), 0, bodyStart - start);
        inline(out, start, bodyStart);
        String boundary = header.multipartBoundary();
        if (boundary != null && boundary.length() <= MAX_BOUNDARY_CHARS
                && multipart(m, bodyStart, end, boundary, depth, out)) {
            return;
        }
        if (header.isEmbeddedMessage()) {
            entity(m, bodyStart, end, depth + 1, out);
            return;
        }
        leaf(out, bodyStart, end);
    }

    /** Where the body of the entity at {@code start} begins (after the empty line), or -1 when there is no empty line. */
    private static int bodyStart(ByteWindow m, int start, int end) {
        if (end - start >= 2 && m.at(start) == '\r' && m.at(start + 1) == '\n') {
            return start + 2;
        }
        for (int i = start; i + 3 < end; i++) {
            if (m.at(i) == '\r' && m.at(i + 1) == '\n' && m.at(i + 2) == '\r' && m.at(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static boolean hasBareLineBreak(ByteWindow m, int start, int end) {
        for (int i = start; i < end; i++) {
            if (m.at(i) == '\n' && (i == start || m.at(i - 1) != '\r')) {
                return true;
            }
            if (m.at(i) == '\r' && (i + 1 == end || m.at(i + 1) != '\n')) {
                return true;
            }
        }
        return false;
    }

    /** A delimiter line {@code [start, end)} (its CRLF included, if any). */
    private record Delimiter(int start, int end, boolean close) {
    }

    /**
     * Cuts the multipart body {@code [bodyStart, end)} at its delimiters and adds its ranges; adds nothing and answers
     * false when the body has no part or no closing delimiter.
     */
    private boolean multipart(ByteWindow m, int bodyStart, int end, String boundary, int depth, List<Range> out) {
        List<Delimiter> delimiters = delimiters(m, bodyStart, end, ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
        if (delimiters.size() < 2 || delimiters.get(0).close() || !delimiters.get(delimiters.size() - 1).close()) {
            return false;
        }
        int cursor = bodyStart;
        for (int i = 0; i + 1 < delimiters.size(); i++) {
            int partStart = delimiters.get(i).end();
            // The CRLF before the next delimiter belongs to that delimiter; with none of its own the part is empty.
            int partEnd = Math.max(partStart, delimiters.get(i + 1).start() - 2);
            inline(out, cursor, partStart);
            entity(m, partStart, partEnd, depth + 1, out);
            cursor = partEnd;
        }
        inline(out, cursor, end);
        return true;
    }

    /** The delimiter lines of a multipart body up to and including the first closing one. */
    private static List<Delimiter> delimiters(ByteWindow m, int bodyStart, int end, byte[] dashBoundary) {
        List<Delimiter> found = new ArrayList<>();
        int line = bodyStart;
        while (line < end) {
            if (startsWith(m, line, end, dashBoundary)) {
                int q = line + dashBoundary.length;
                boolean close = q + 2 <= end && m.at(q) == '-' && m.at(q + 1) == '-';
                if (close) {
                    q += 2;
                }
                while (q < end && (m.at(q) == ' ' || m.at(q) == '\t')) {
                    q++;
                }
                boolean crlf = q + 2 <= end && m.at(q) == '\r' && m.at(q + 1) == '\n';
                if (crlf || (close && q == end)) {
                    found.add(new Delimiter(line, crlf ? q + 2 : q, close));
                    if (close) {
                        break;
                    }
                }
            }
            int next = nextLine(m, line, end);
            if (next < 0) {
                break;
            }
            line = next;
        }
        return found;
    }

    private static int nextLine(ByteWindow m, int from, int end) {
        for (int i = from; i + 1 < end; i++) {
            if (m.at(i) == '\r' && m.at(i + 1) == '\n') {
                return i + 2;
            }
        }
        return -1;
    }

    private static boolean startsWith(ByteWindow m, int at, int end, byte[] prefix) {
        if (end - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (m.at(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private void leaf(List<Range> out, int start, int end) {
        if (end - start >= leafThreshold) {
            out.add(new Range(start, end, true));
        } else {
            inline(out, start, end);
        }
    }

    private static void inline(List<Range> out, int start, int end) {
        if (end <= start) {
            return;
        }
        if (!out.isEmpty()) {
            Range last = out.get(out.size() - 1);
            if (!last.leaf() && last.end() == start) {
                out.set(out.size() - 1, new Range(last.start(), end, false));
                return;
            }
        }
        out.add(new Range(start, end, false));
    }
}

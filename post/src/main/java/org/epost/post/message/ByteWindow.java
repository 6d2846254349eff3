package org.epost.post.message;

import org.epost.post.store.RandomAccessBytes;

/**
 * The bytes of a message as the {@link MimeCutter} reads them: one by one, mostly forward, going back to the start of
 * a part to cut it in turn. An array in memory is read directly; any other source through two cached pages of
 * {@value #PAGE} bytes (the one being read and the one before, for the look-behind at a page boundary), so cutting a
 * message spilled to disk holds a few pages of it in the heap, not all of it. Not thread-safe: one per cut.
 */
final class ByteWindow {
    static final int PAGE = 64 * 1024;

    private final byte[] whole;
    private final RandomAccessBytes source;
    private final int length;
    private byte[] page = new byte[0];
    private int pageStart;
    private byte[] previous = new byte[0];
    private int previousStart;

    ByteWindow(RandomAccessBytes source) {
        if (source.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a message of " + source.length() + " bytes is too large to cut");
        }
        this.whole = source.array().orElse(null);
        this.source = source;
        this.length = (int) source.length();
    }

    int length() {
        return length;
    }

    byte at(int index) {
        if (whole != null) {
            return whole[index];
        }
        if (index >= pageStart && index - pageStart < page.length) {
            return page[index - pageStart];
        }
        if (index >= previousStart && index - previousStart < previous.length) {
            return previous[index - previousStart];
        }
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        previous = page;
        previousStart = pageStart;
        pageStart = index / PAGE * PAGE;
        page = source.read(pageStart, Math.min(PAGE, length - pageStart));
        return page[index - pageStart];
    }

    /** A fresh array of the bytes {@code [start, end)}. */
    byte[] copy(int start, int end) {
        return source.read(start, end - start);
    }
}

package org.epost.post.store;

import java.io.InputStream;

/** A range of a {@link RandomAccessBytes} as a stream, read in pieces of 64 KiB (what hashing and AES run fastest on). */
final class RandomAccessInputStream extends InputStream {
    private static final int PIECE = 64 * 1024;

    private final RandomAccessBytes source;
    private final long end;
    private long next;
    private byte[] piece = new byte[0];
    private int inPiece;

    RandomAccessInputStream(RandomAccessBytes source, long start, long end) {
        this.source = source;
        this.next = start;
        this.end = end;
    }

    @Override
    public int read() {
        if (!fill()) {
            return -1;
        }
        return piece[inPiece++] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, piece.length - inPiece);
        System.arraycopy(piece, inPiece, into, offset, n);
        inPiece += n;
        return n;
    }

    /** Whether a byte is available, reading the next piece when this one is used up. */
    private boolean fill() {
        if (inPiece < piece.length) {
            return true;
        }
        if (next >= end) {
            return false;
        }
        int length = (int) Math.min(PIECE, end - next);
        piece = source.read(next, length);
        next += length;
        inPiece = 0;
        return true;
    }
}

package org.epost.mailbox.model;

/**
 * Columns of a folder's cached view head written small: unsigned LEB128 varints (7 bits a byte, low bits first, the
 * high bit set on every byte but the last), UIDs as their gaps to the previous UID. Why: the head is decrypted whole
 * on the first SELECT after a restart, under C1 at a few MB/s; 100,000 UIDs, sizes and entry lengths take about
 * 0.5 MB this way instead of 2 MB at fixed width. Strict: an overlong varint, a value over 63 bits, a gap of zero,
 * missing or extra bytes are refused.
 */
final class CompactColumns {
    private CompactColumns() {
    }

    /** {@code ascending} (strictly, from above 0) as gaps. */
    static byte[] gaps(long[] ascending) {
        return write(ascending, true);
    }

    static byte[] varints(long[] values) {
        return write(values, false);
    }

    /** {@code count} values written by {@link #gaps}, each gap at least 1. */
    static long[] readGaps(byte[] bytes, int count, String what) {
        long[] values = readVarints(bytes, count, what);
        long previous = 0;
        for (int i = 0; i < count; i++) {
            if (values[i] == 0 || values[i] > Long.MAX_VALUE - previous) {
                throw new RecordFormatException(what + ": gap " + values[i] + " after " + previous);
            }
            previous += values[i];
            values[i] = previous;
        }
        return values;
    }

    static long[] readVarints(byte[] bytes, int count, String what) {
        long[] values = new long[count];
        int at = 0;
        for (int i = 0; i < count; i++) {
            long value = 0;
            int shift = 0;
            while (true) {
                if (at >= bytes.length) {
                    throw new RecordFormatException(what + ": " + count + " values announced, " + i + " present");
                }
                int b = bytes[at++] & 0xff;
                if (shift == 63 && b > 0) {
                    throw new RecordFormatException(what + ": a value over 63 bits");
                }
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    if (b == 0 && shift > 0) {
                        throw new RecordFormatException(what + ": an overlong varint");
                    }
                    break;
                }
                shift += 7;
            }
            values[i] = value;
        }
        if (at != bytes.length) {
            throw new RecordFormatException(what + ": " + (bytes.length - at) + " bytes after the last value");
        }
        return values;
    }

    /**
     * The varints of {@code values} (or of their gaps), measured first then written into an array of that length: no
     * stream whose synchronized write per byte C1 does not elide (a large folder's head has 300,000 values).
     */
    private static byte[] write(long[] values, boolean asGaps) {
        int length = 0;
        long previous = 0;
        for (long value : values) {
            for (long rest = asGaps ? value - previous : value; (rest & ~0x7fL) != 0; rest >>>= 7) {
                length++;
            }
            length++;
            previous = value;
        }
        byte[] out = new byte[length];
        int at = 0;
        previous = 0;
        for (long value : values) {
            long rest = asGaps ? value - previous : value;
            for (; (rest & ~0x7fL) != 0; rest >>>= 7) {
                out[at++] = (byte) ((rest & 0x7f) | 0x80);
            }
            out[at++] = (byte) rest;
            previous = value;
        }
        return out;
    }
}

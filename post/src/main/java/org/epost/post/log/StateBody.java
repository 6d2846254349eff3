package org.epost.post.log;

import java.util.Arrays;

/**
 * The part of a reducer's encoded state that an open does not read at once (for a folder: its message entries): a
 * plain array, or the body of a cached view whose segments are decrypted when first read. Reducers keep slices of it
 * and read them on first use; it never changes.
 */
public interface StateBody {

    int length();

    /**
     * Copies {@code length} bytes from {@code offset} to {@code target} at {@code at}.
     *
     * @throws BrokenViewException when the bytes come from a cached view whose segment does not authenticate
     */
    void copy(int offset, byte[] target, int at, int length);

    default byte[] read(int offset, int length) {
        byte[] out = new byte[length];
        copy(offset, out, 0, length);
        return out;
    }

    /** {@code bytes} as a body; not copied, so they must never change. */
    static StateBody of(byte[] bytes) {
        return new StateBody() {
            @Override
            public int length() {
                return bytes.length;
            }

            @Override
            public void copy(int offset, byte[] target, int at, int length) {
                System.arraycopy(bytes, offset, target, at, length);
            }

            @Override
            public byte[] read(int offset, int length) {
                return offset == 0 && length == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, offset + length);
            }
        };
    }
}

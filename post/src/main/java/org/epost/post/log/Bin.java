package org.epost.post.log;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

import org.epost.overlay.id.Id;

/** Big-endian fixed-layout encoding of the log's blocks, with a reader that refuses truncated or trailing bytes. */
final class Bin {
    private Bin() {
    }

    static final class Writer {
        private final ByteArrayOutputStream out;

        Writer(int expected) {
            out = new ByteArrayOutputStream(expected);
        }

        Writer u8(int v) {
            out.write(v);
            return this;
        }

        Writer u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Writer u32(long v) {
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) v).array());
            return this;
        }

        Writer u64(long v) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
            return this;
        }

        Writer raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        /** A presence byte, then the 20-byte id when present. */
        Writer optionalId(Id id) {
            if (id == null) {
                return u8(0);
            }
            return u8(1).raw(id.toBytes());
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    static final class Reader {
        private final ByteBuffer in;

        Reader(byte[] bytes) {
            in = ByteBuffer.wrap(bytes);
        }

        int u8() throws FormatException {
            try {
                return in.get() & 0xFF;
            } catch (BufferUnderflowException e) {
                throw new FormatException("truncated");
            }
        }

        int u16() throws FormatException {
            return (u8() << 8) | u8();
        }

        long u32() throws FormatException {
            try {
                return in.getInt() & 0xFFFFFFFFL;
            } catch (BufferUnderflowException e) {
                throw new FormatException("truncated");
            }
        }

        long u64() throws FormatException {
            try {
                return in.getLong();
            } catch (BufferUnderflowException e) {
                throw new FormatException("truncated");
            }
        }

        long nonNegative64(String what) throws FormatException {
            long v = u64();
            if (v < 0) {
                throw new FormatException("negative " + what);
            }
            return v;
        }

        byte[] raw(long length) throws FormatException {
            if (length < 0 || length > in.remaining()) {
                throw new FormatException("truncated: " + length + " bytes announced, " + in.remaining() + " left");
            }
            byte[] out = new byte[(int) length];
            in.get(out);
            return out;
        }

        Id optionalId() throws FormatException {
            int present = u8();
            if (present == 0) {
                return null;
            }
            if (present != 1) {
                throw new FormatException("bad presence byte " + present);
            }
            return Id.of(raw(Id.BYTES));
        }

        int remaining() {
            return in.remaining();
        }

        void end() throws FormatException {
            if (in.hasRemaining()) {
                throw new FormatException(in.remaining() + " trailing bytes");
            }
        }
    }

    static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }
}

package org.epost.overlay.sim;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.epost.overlay.id.Id;

/**
 * SHA-256 over the events of a simulation in the order they happen (time, sender, receiver, message type), so
 * that two runs can be compared with one string: same seed, same hash.
 */
final class TraceHash {
    private final MessageDigest digest;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    TraceHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    void record(long time, Id from, Id to, String type) {
        if (buffer.remaining() < 20) {
            flush();
        }
        buffer.putLong(time).putInt(from.hashCode()).putInt(to.hashCode()).putInt(type.hashCode());
    }

    String hex() {
        flush();
        return HexFormat.of().formatHex(((MessageDigest) cloneDigest()).digest());
    }

    private Object cloneDigest() {
        try {
            return digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable in the JDK", e);
        }
    }

    private void flush() {
        buffer.flip();
        digest.update(buffer);
        buffer.clear();
    }
}

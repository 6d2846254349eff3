package org.epost.post.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SHA-256 and HMAC-SHA-256, fed in pieces of at most 64 KiB (the JDK is fastest on such buffers). */
public final class Hashes {
    static final int SEGMENT_BYTES = 64 * 1024;

    private Hashes() {
    }

    public static byte[] sha256(byte[] data) {
        MessageDigest digest = sha256();
        for (int offset = 0; offset < data.length; offset += SEGMENT_BYTES) {
            digest.update(data, offset, Math.min(SEGMENT_BYTES, data.length - offset));
        }
        return digest.digest();
    }

    /** The SHA-256 of what {@code in} yields up to its end, read a piece at a time. */
    public static byte[] sha256(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] piece = new byte[SEGMENT_BYTES];
        for (int n = in.readNBytes(piece, 0, piece.length); n > 0; n = in.readNBytes(piece, 0, piece.length)) {
            digest.update(piece, 0, n);
        }
        return digest.digest();
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    /** An HMAC-SHA-256 under {@code key}, to be fed in pieces. */
    public static Mac hmacSha256(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has HmacSHA256", e);
        }
    }

    public static byte[] hmacSha256(byte[] key, byte[]... parts) {
        Mac mac = hmacSha256(key);
        for (byte[] part : parts) {
            for (int offset = 0; offset < part.length; offset += SEGMENT_BYTES) {
                mac.update(part, offset, Math.min(SEGMENT_BYTES, part.length - offset));
            }
        }
        return mac.doFinal();
    }
}

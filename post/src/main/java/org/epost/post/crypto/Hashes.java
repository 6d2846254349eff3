package org.epost.post.crypto;

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

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    public static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                for (int offset = 0; offset < part.length; offset += SEGMENT_BYTES) {
                    mac.update(part, offset, Math.min(SEGMENT_BYTES, part.length - offset));
                }
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has HmacSHA256", e);
        }
    }
}

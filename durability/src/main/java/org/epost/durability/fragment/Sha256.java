package org.epost.durability.fragment;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 over several byte ranges; every JDK has it. */
final class Sha256 {
    static final int BYTES = 32;

    private Sha256() {
    }

    static byte[] of(byte[]... parts) {
        MessageDigest digest = newDigest();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}

package org.epost.post.accounts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The admin's offline private keys at rest (user CA key, recovery key): {@code magic (8) || salt (16) || iterations
 * (4, big-endian) || nonce (12) || AES-256-GCM(PBKDF2-HMAC-SHA256(password, salt, iterations), PKCS#8)}, the header
 * as associated data. A wrong password and a tampered file are both refused (they cannot be told apart). The magic
 * names the kind of key, so one kind of file is never opened as another.
 */
final class PasswordSealing {
    static final int PBKDF2_ITERATIONS = 310_000;
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordSealing() {
    }

    static byte[] seal(byte[] magic, byte[] pkcs8, char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        byte[] header = ByteBuffer.allocate(magic.length + SALT_BYTES + 4).put(magic).put(salt)
                .putInt(PBKDF2_ITERATIONS).array();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, passwordKey(password, salt, PBKDF2_ITERATIONS),
                    new GCMParameterSpec(128, nonce));
            cipher.updateAAD(header);
            byte[] ciphertext = cipher.doFinal(pkcs8);
            return ByteBuffer.allocate(header.length + nonce.length + ciphertext.length).put(header).put(nonce)
                    .put(ciphertext).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK 17 has AES-GCM", e);
        }
    }

    /** The PKCS#8 bytes sealed in {@code sealed}; the caller clears them after use. */
    static byte[] unseal(byte[] magic, String fileName, byte[] sealed, char[] password) throws IOException {
        int headerLength = magic.length + SALT_BYTES + 4;
        if (sealed.length < headerLength + NONCE_BYTES + 16
                || !Arrays.equals(Arrays.copyOf(sealed, magic.length), magic)) {
            throw new IOException(fileName + " is not a sealed key of this kind");
        }
        ByteBuffer buffer = ByteBuffer.wrap(sealed);
        buffer.position(magic.length);
        byte[] salt = new byte[SALT_BYTES];
        buffer.get(salt);
        int iterations = buffer.getInt();
        if (iterations < 100_000 || iterations > 10_000_000) {
            throw new IOException(fileName + " has an implausible iteration count " + iterations);
        }
        byte[] nonce = new byte[NONCE_BYTES];
        buffer.get(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, passwordKey(password, salt, iterations), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(sealed, 0, headerLength);
            return cipher.doFinal(sealed, buffer.position(), sealed.length - buffer.position());
        } catch (AEADBadTagException e) {
            throw new IOException("Wrong password for, or tampered, " + fileName, e);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot read " + fileName + ": " + e.getMessage(), e);
        }
    }

    private static SecretKeySpec passwordKey(char[] password, byte[] salt, int iterations)
            throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return new SecretKeySpec(key, "AES");
        } finally {
            spec.clearPassword();
        }
    }
}

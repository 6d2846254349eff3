package org.epost.post.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.CipherOutputStream;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A random AES-256-CTR key and counter block that exist only in this object, for a temporary file that must not hold
 * plaintext: a message or literal spilled to disk while it is received. Once the object is gone, the file is noise.
 * CTR without a MAC fits such a file: it lives for one transaction, and whoever could rewrite it could as well write to
 * the process's memory.
 */
public final class EphemeralStreamKey {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TRANSFORMATION = "AES/CTR/NoPadding";

    private final SecretKeySpec key;
    private final IvParameterSpec counter;

    private EphemeralStreamKey(byte[] key, byte[] counter) {
        this.key = new SecretKeySpec(key, "AES");
        this.counter = new IvParameterSpec(counter);
    }

    public static EphemeralStreamKey fresh() {
        byte[] key = new byte[32];
        byte[] counter = new byte[16];
        RANDOM.nextBytes(key);
        RANDOM.nextBytes(counter);
        return new EphemeralStreamKey(key, counter);
    }

    /** Encrypts what is written into {@code out}; closing the result closes {@code out}. */
    public OutputStream encrypting(OutputStream out) throws IOException {
        return new CipherOutputStream(out, cipher(Cipher.ENCRYPT_MODE));
    }

    /** Decrypts {@code in} from its start. */
    public InputStream decrypting(InputStream in) throws IOException {
        return new CipherInputStream(in, cipher(Cipher.DECRYPT_MODE));
    }

    private Cipher cipher(int mode) throws IOException {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, key, counter);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-CTR is not available", e);
        }
    }
}

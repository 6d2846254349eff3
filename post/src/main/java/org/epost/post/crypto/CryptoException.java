package org.epost.post.crypto;

/** Decryption or verification failed: tampered, truncated or foreign data, or the wrong key. Never a bug to hide. */
public class CryptoException extends Exception {
    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.epost.mailbox.mail;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.epost.post.crypto.CryptoException;
import org.epost.post.message.MessageReference;

/**
 * The seal of a skeleton file in format 2 ({@link SealedSkeletonCache}):
 * {@code "EPSK" | 2 | nonce (12 random bytes) | ChaCha20-Poly1305 ciphertext and tag} under
 * {@code HMAC-SHA256(message key, "epost/skeleton-cache/v2")}, associated data = magic, format, nonce and the
 * message's handle.
 *
 * <p>Why not format 1's {@code SaltedSeal}: a FETCH of 1,000 headers opens 1,000 files, and format 1 paid per file
 * two HMACs (a salted key, then a nonce seed), a {@code Mac} and a {@code Cipher} looked up by name each time and
 * AES-GCM, which the peers' C1 compiler runs without intrinsics (about 5 to 20x slower per byte than the JDK's
 * ChaCha20-Poly1305 there). Here: one HMAC, the {@code Mac} and {@code Cipher} kept per thread. The key is one per
 * message (no salt): a message's file is written once, again only after it was deleted, each time under a fresh
 * random 96-bit nonce, so a nonce does not repeat under a key. The key still comes from the message key, which only
 * the owner's sealed folder logs hold, and the handle in the associated data binds the file to its message.
 */
final class SkeletonSeal {
    static final byte[] MAGIC = "EPSK".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT = 2;
    static final int PREFIX_BYTES = MAGIC.length + 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final byte[] KEY_LABEL = "epost/skeleton-cache/v2".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance(
        "HmacSHA256")));
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(SkeletonSeal::newCipher);

    private interface Lookup<T> {
        T get() throws GeneralSecurityException;
    }

    private SkeletonSeal() {
    }

    /** Whether {@code sealed} starts as a format 2 file (it may still not open). */
    static boolean isFormat2(byte[] sealed) {
        return sealed.length >= PREFIX_BYTES && Arrays.equals(sealed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
            && sealed[MAGIC.length] == FORMAT;
    }

    static byte[] seal(MessageReference reference, byte[] plaintext) {
        byte[] header = Arrays.copyOf(MAGIC, PREFIX_BYTES + NONCE_BYTES);
        header[MAGIC.length] = FORMAT;
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, header, PREFIX_BYTES, NONCE_BYTES);
        byte[] out = Arrays.copyOf(header, header.length + plaintext.length + TAG_BYTES);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, reference, nonce);
            cipher.updateAAD(associatedData(header, reference));
            cipher.doFinal(plaintext, 0, plaintext.length, out, header.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 failed to seal", e);
        }
    }

    /** The plaintext of a format 2 file of {@code reference}; anything else (altered, cut, foreign) fails. */
    static byte[] open(MessageReference reference, byte[] sealed) throws CryptoException {
        int headerLength = PREFIX_BYTES + NONCE_BYTES;
        if (!isFormat2(sealed) || sealed.length < headerLength + TAG_BYTES) {
            throw new CryptoException("not a sealed skeleton of format " + FORMAT + " (" + sealed.length + " bytes)");
        }
        byte[] header = Arrays.copyOf(sealed, headerLength);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, reference, Arrays.copyOfRange(header, PREFIX_BYTES,
                headerLength));
            cipher.updateAAD(associatedData(header, reference));
            return cipher.doFinal(sealed, headerLength, sealed.length - headerLength);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("sealed skeleton does not open: " + e.getMessage());
        }
    }

    private static Cipher cipher(int mode, MessageReference reference, byte[] nonce)
            throws GeneralSecurityException {
        SecretKeySpec key = new SecretKeySpec(key(reference), "ChaCha20");
        Cipher cipher = CIPHER.get();
        try {
            cipher.init(mode, key, new IvParameterSpec(nonce));
        } catch (InvalidKeyException e) {
            // the JDK refuses the key and nonce of this cipher's previous init (the same file read twice in a row):
            // a fresh instance takes it
            cipher = newCipher();
            CIPHER.set(cipher);
            cipher.init(mode, key, new IvParameterSpec(nonce));
        }
        return cipher;
    }

    private static byte[] key(MessageReference reference) {
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(reference.top().key(), "HmacSHA256"));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 refused a message key", e);
        }
        return mac.doFinal(KEY_LABEL);
    }

    private static byte[] associatedData(byte[] header, MessageReference reference) {
        byte[] handle = reference.top().handle().toBytes();
        byte[] ad = Arrays.copyOf(header, header.length + handle.length);
        System.arraycopy(handle, 0, ad, header.length, handle.length);
        return ad;
    }

    private static Cipher newCipher() {
        return instance(() -> Cipher.getInstance("ChaCha20-Poly1305"));
    }

    private static <T> T instance(Lookup<T> lookup) {
        try {
            return lookup.get();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + e.getMessage(), e);
        }
    }
}

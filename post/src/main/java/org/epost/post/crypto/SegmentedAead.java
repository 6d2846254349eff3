package org.epost.post.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over data of any size, in segments of at most 64 KiB: the JDK's GCM runs at GiB/s on such buffers but
 * collapses on megabyte ones (DESIGN.md section 5). Each segment has its own tag and a nonce derived from the key's
 * nonce seed, the segment's index and whether it is the last one, so segments cannot be reordered, dropped, truncated
 * or spliced between messages without detection (the STREAM construction of Hoang, Reyhanitabar, Rogaway, Vizár).
 *
 * <p>Layout: the ciphertext is the segments' ciphertexts (each with its 16-byte tag) concatenated; an empty plaintext
 * is one empty last segment. A key must never encrypt two different plaintexts under the same nonce seed: callers
 * derive the seed from the key (convergent encryption, where the key is the hash of the plaintext) or pick it at
 * random (sealed boxes).
 *
 * <p>The cipher is AES-256-GCM unless an {@link Algorithm} is named: ChaCha20-Poly1305 (same layout, key, nonce and
 * tag sizes) for data this peer reads often under C1 (its cached views), where the JDK's GCM runs without intrinsics
 * and takes 5 to 20 times as long per byte.
 */
public final class SegmentedAead {
    public static final int KEY_BYTES = 32;
    public static final int NONCE_SEED_BYTES = 7;
    static final int TAG_BYTES = 16;
    static final int SEGMENT_BYTES = Hashes.SEGMENT_BYTES;
    /** Plaintext bytes per segment (the last segment may hold fewer). */
    public static final int PLAINTEXT_SEGMENT_BYTES = SEGMENT_BYTES;

    /** The AEAD of each segment; both have 32-byte keys, 12-byte nonces and 16-byte tags. */
    public enum Algorithm {
        AES_GCM("AES/GCM/NoPadding", "AES"), CHACHA20_POLY1305("ChaCha20-Poly1305", "ChaCha20");

        private final String transformation;
        private final String keyAlgorithm;

        Algorithm(String transformation, String keyAlgorithm) {
            this.transformation = transformation;
            this.keyAlgorithm = keyAlgorithm;
        }

        private java.security.spec.AlgorithmParameterSpec parameters(byte[] nonce) {
            return this == AES_GCM ? new GCMParameterSpec(TAG_BYTES * 8, nonce) : new IvParameterSpec(nonce);
        }
    }

    private SegmentedAead() {
    }

    public static byte[] encrypt(byte[] key, byte[] nonceSeed, byte[] plaintext, byte[] associatedData) {
        return encrypt(Algorithm.AES_GCM, key, nonceSeed, plaintext, associatedData);
    }

    public static byte[] encrypt(Algorithm algorithm, byte[] key, byte[] nonceSeed, byte[] plaintext,
                                 byte[] associatedData) {
        return encryptSegments(algorithm, key, nonceSeed, plaintext, 0, segmentCount(plaintext.length),
            associatedData);
    }

    /**
     * Encrypts some consecutive segments of a longer plaintext on their own: the same bytes as the matching slice of
     * {@link #encrypt} of the whole, so a large plaintext can be encrypted a piece at a time.
     *
     * @param slice         whole segments of plaintext: full ones, and the plaintext's last segment only if it is in
     *                      the slice
     * @param firstIndex    index of the slice's first segment in the whole plaintext
     * @param totalSegments segments in the whole plaintext
     */
    public static byte[] encryptSegments(byte[] key, byte[] nonceSeed, byte[] slice, int firstIndex, int totalSegments,
                                         byte[] associatedData) {
        return encryptSegments(Algorithm.AES_GCM, key, nonceSeed, slice, firstIndex, totalSegments, associatedData);
    }

    /** {@link #encryptSegments(byte[], byte[], byte[], int, int, byte[])} with {@code algorithm}. */
    public static byte[] encryptSegments(Algorithm algorithm, byte[] key, byte[] nonceSeed, byte[] slice,
                                         int firstIndex, int totalSegments, byte[] associatedData) {
        checkKey(key, nonceSeed);
        int segments = segmentCount(slice.length);
        boolean includesLast = firstIndex + segments == totalSegments;
        if (firstIndex < 0 || firstIndex + segments > totalSegments
                || (!includesLast && slice.length != segments * SEGMENT_BYTES)) {
            throw new IllegalArgumentException("a slice of " + slice.length + " bytes at segment " + firstIndex
                + " of " + totalSegments + " is not made of whole segments");
        }
        ByteBuffer out = ByteBuffer.allocate(slice.length + segments * TAG_BYTES);
        try {
            Cipher cipher = Cipher.getInstance(algorithm.transformation);
            SecretKeySpec secret = new SecretKeySpec(key, algorithm.keyAlgorithm);
            for (int i = 0; i < segments; i++) {
                int index = firstIndex + i;
                int offset = i * SEGMENT_BYTES;
                int length = Math.min(SEGMENT_BYTES, slice.length - offset);
                cipher.init(Cipher.ENCRYPT_MODE, secret,
                    algorithm.parameters(nonce(nonceSeed, index, index == totalSegments - 1)));
                cipher.updateAAD(associatedData);
                out.put(cipher.doFinal(slice, offset, length));
            }
            return out.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is in every JDK 17", e);
        }
    }

    public static byte[] decrypt(byte[] key, byte[] nonceSeed, byte[] ciphertext, byte[] associatedData) throws CryptoException {
        return decrypt(Algorithm.AES_GCM, key, nonceSeed, ciphertext, associatedData);
    }

    public static byte[] decrypt(Algorithm algorithm, byte[] key, byte[] nonceSeed, byte[] ciphertext,
                                 byte[] associatedData) throws CryptoException {
        int fullSegment = SEGMENT_BYTES + TAG_BYTES;
        int segments = Math.max(1, (ciphertext.length + fullSegment - 1) / fullSegment);
        return decryptSegments(algorithm, key, nonceSeed, ciphertext, 0, segments, associatedData);
    }

    /**
     * Decrypts some consecutive segments of a longer ciphertext on their own (each segment is authenticated with its
     * index and whether it is the last one, so a slice cannot be passed off as another or as the end).
     *
     * @param slice         whole segments: full ones, and the ciphertext's last segment only if it is in the slice
     * @param firstIndex    index of the slice's first segment in the whole ciphertext
     * @param totalSegments segments in the whole ciphertext
     */
    public static byte[] decryptSegments(byte[] key, byte[] nonceSeed, byte[] slice, int firstIndex, int totalSegments,
                                         byte[] associatedData) throws CryptoException {
        return decryptSegments(Algorithm.AES_GCM, key, nonceSeed, slice, firstIndex, totalSegments, associatedData);
    }

    /** {@link #decryptSegments(byte[], byte[], byte[], int, int, byte[])} with {@code algorithm}. */
    public static byte[] decryptSegments(Algorithm algorithm, byte[] key, byte[] nonceSeed, byte[] slice,
                                         int firstIndex, int totalSegments, byte[] associatedData)
            throws CryptoException {
        checkKey(key, nonceSeed);
        int fullSegment = SEGMENT_BYTES + TAG_BYTES;
        int segments = Math.max(1, (slice.length + fullSegment - 1) / fullSegment);
        int lastLength = slice.length - (segments - 1) * fullSegment;
        boolean includesLast = firstIndex + segments == totalSegments;
        if (firstIndex < 0 || firstIndex + segments > totalSegments || lastLength < TAG_BYTES
                || (!includesLast && lastLength != fullSegment)) {
            throw new CryptoException("a slice of " + slice.length + " bytes at segment " + firstIndex + " of "
                + totalSegments + " is not made of whole segments");
        }
        ByteBuffer out = ByteBuffer.allocate(slice.length - segments * TAG_BYTES);
        try {
            Cipher cipher = Cipher.getInstance(algorithm.transformation);
            SecretKeySpec secret = new SecretKeySpec(key, algorithm.keyAlgorithm);
            for (int i = 0; i < segments; i++) {
                int index = firstIndex + i;
                cipher.init(Cipher.DECRYPT_MODE, secret,
                    algorithm.parameters(nonce(nonceSeed, index, index == totalSegments - 1)));
                cipher.updateAAD(associatedData);
                out.put(cipher.doFinal(slice, i * fullSegment, i == segments - 1 ? lastLength : fullSegment));
            }
            return out.array();
        } catch (AEADBadTagException e) {
            throw new CryptoException("ciphertext slice does not authenticate (tampered, moved or wrong key)", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot decrypt: " + e.getMessage(), e);
        }
    }

    /** Segments of ciphertext for {@code plaintextLength} bytes of plaintext. */
    public static int segmentsFor(long plaintextLength) {
        return segmentCount(plaintextLength);
    }

    /** Bytes of ciphertext for {@code plaintextLength} bytes of plaintext. */
    public static long ciphertextLength(long plaintextLength) {
        return plaintextLength + (long) segmentCount(plaintextLength) * TAG_BYTES;
    }

    private static int segmentCount(long plaintextLength) {
        return (int) Math.max(1, (plaintextLength + SEGMENT_BYTES - 1) / SEGMENT_BYTES);
    }

    /** 12 bytes: the 7-byte seed, the 4-byte segment index, and a last-segment flag. */
    private static byte[] nonce(byte[] seed, int index, boolean last) {
        return ByteBuffer.allocate(12).put(seed).putInt(index).put((byte) (last ? 1 : 0)).array();
    }

    private static void checkKey(byte[] key, byte[] nonceSeed) {
        if (key.length != KEY_BYTES || nonceSeed.length != NONCE_SEED_BYTES) {
            throw new IllegalArgumentException("need a " + KEY_BYTES + "-byte key and a " + NONCE_SEED_BYTES + "-byte nonce seed");
        }
    }

    static byte[] seedFromKey(byte[] key) {
        return Arrays.copyOf(Hashes.hmacSha256(key, "epost/segmented-aead/nonce-seed".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
            NONCE_SEED_BYTES);
    }
}

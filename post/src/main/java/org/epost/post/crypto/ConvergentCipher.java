package org.epost.post.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.Mac;

/**
 * POST's convergent encryption of a message part (DESIGN.md section 5): the key is the hash of the plaintext
 * (keyed with the organization's convergence secret when it has one, so outsiders cannot confirm guesses), and the
 * encryption is deterministic, so the same part sent by anyone encrypts to the same ciphertext and is stored once.
 * Whoever holds the key (recipients, via their notification) can decrypt; the storing nodes cannot.
 */
public final class ConvergentCipher {
    private static final byte[] CONTEXT = "epost/convergent/v1".getBytes(StandardCharsets.US_ASCII);

    private final Optional<byte[]> convergenceSecret;

    /** @param convergenceSecret the organization's secret keying the content hash; empty for plain H(part) */
    public ConvergentCipher(Optional<byte[]> convergenceSecret) {
        this.convergenceSecret = convergenceSecret.map(byte[]::clone);
    }

    /** The key of {@code plaintext}: what a recipient needs to read it. */
    public byte[] keyFor(byte[] plaintext) {
        return convergenceSecret
            .map(secret -> Hashes.hmacSha256(secret, CONTEXT, plaintext))
            .orElseGet(() -> Hashes.sha256(concat(CONTEXT, plaintext)));
    }

    /**
     * The key of the plaintext {@code in} yields, read to its end a piece at a time: the same as {@link #keyFor(byte[])}
     * of those bytes, without holding them.
     */
    public byte[] keyFor(InputStream in) throws IOException {
        Optional<Mac> mac = convergenceSecret.map(secret -> Hashes.hmacSha256(secret));
        MessageDigest digest = mac.isPresent() ? null : Hashes.sha256();
        byte[] piece = new byte[Hashes.SEGMENT_BYTES];
        update(mac, digest, CONTEXT, CONTEXT.length);
        for (int n = in.readNBytes(piece, 0, piece.length); n > 0; n = in.readNBytes(piece, 0, piece.length)) {
            update(mac, digest, piece, n);
        }
        return mac.isPresent() ? mac.get().doFinal() : digest.digest();
    }

    private static void update(Optional<Mac> mac, MessageDigest digest, byte[] bytes, int length) {
        if (mac.isPresent()) {
            mac.get().update(bytes, 0, length);
        } else {
            digest.update(bytes, 0, length);
        }
    }

    public byte[] encrypt(byte[] key, byte[] plaintext) {
        return SegmentedAead.encrypt(key, SegmentedAead.seedFromKey(key), plaintext, CONTEXT);
    }

    /**
     * Decrypts; a wrong key or a changed ciphertext fails authentication. (The plaintext is not re-hashed against the
     * key: a recipient in another organization does not know this one's convergence secret, and dedup cannot be
     * poisoned anyway, since a part's handle is the hash of its deterministic ciphertext.)
     */
    public byte[] decrypt(byte[] key, byte[] ciphertext) throws CryptoException {
        return SegmentedAead.decrypt(key, SegmentedAead.seedFromKey(key), ciphertext, CONTEXT);
    }

    /** Encrypts whole segments of a longer plaintext ({@link SegmentedAead#encryptSegments}). */
    public byte[] encryptSegments(byte[] key, byte[] slice, int firstIndex, int totalSegments) {
        return SegmentedAead.encryptSegments(key, SegmentedAead.seedFromKey(key), slice, firstIndex, totalSegments,
            CONTEXT);
    }

    /** Decrypts whole segments of a longer ciphertext ({@link SegmentedAead#decryptSegments}). */
    public byte[] decryptSegments(byte[] key, byte[] slice, int firstIndex, int totalSegments) throws CryptoException {
        return SegmentedAead.decryptSegments(key, SegmentedAead.seedFromKey(key), slice, firstIndex, totalSegments,
            CONTEXT);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}

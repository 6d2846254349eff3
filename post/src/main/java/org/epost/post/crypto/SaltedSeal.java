package org.epost.post.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Bytes sealed under a fresh key drawn from a long-lived secret: {@code prefix | salt (16 random bytes) | ciphertext},
 * the ciphertext {@link SegmentedAead} under {@code k = HMAC(secret, keyLabel, salt)} with the nonce seed
 * {@code HMAC(k, nonceLabel)}, and associated data = prefix, salt and a caller's binding (what the bytes belong to).
 * Why a key per seal: nonces then never repeat under one key, however many things one secret seals. The prefix is the
 * caller's (magic, format, type): checked by the caller before it opens, and authenticated here.
 */
public final class SaltedSeal {
    public static final int SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] keyLabel;
    private final byte[] nonceLabel;

    /** Labels keep the keys of different uses apart, even under one secret. */
    public SaltedSeal(byte[] keyLabel, byte[] nonceLabel) {
        this.keyLabel = keyLabel.clone();
        this.nonceLabel = nonceLabel.clone();
    }

    /** The length of {@code plaintextLength} bytes sealed after a prefix of {@code prefixLength}. */
    public static long sealedLength(int prefixLength, long plaintextLength) {
        return prefixLength + SALT_BYTES + SegmentedAead.ciphertextLength(plaintextLength);
    }

    public byte[] seal(byte[] secret, byte[] prefix, byte[] plaintext, byte[] binding) {
        byte[] header = Arrays.copyOf(prefix, prefix.length + SALT_BYTES);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        System.arraycopy(salt, 0, header, prefix.length, SALT_BYTES);
        byte[] key = key(secret, salt);
        byte[] ciphertext = SegmentedAead.encrypt(key, nonceSeed(key), plaintext, associatedData(header, binding));
        byte[] out = Arrays.copyOf(header, header.length + ciphertext.length);
        System.arraycopy(ciphertext, 0, out, header.length, ciphertext.length);
        return out;
    }

    /** Opens what {@link #seal} made with the same secret, prefix length and binding; anything else fails. */
    public byte[] open(byte[] secret, byte[] sealed, int prefixLength, byte[] binding) throws CryptoException {
        int headerLength = prefixLength + SALT_BYTES;
        if (sealed.length < headerLength) {
            throw new CryptoException("sealed bytes of " + sealed.length + " bytes are truncated");
        }
        byte[] header = Arrays.copyOf(sealed, headerLength);
        byte[] key = key(secret, Arrays.copyOfRange(sealed, prefixLength, headerLength));
        return SegmentedAead.decrypt(key, nonceSeed(key), Arrays.copyOfRange(sealed, headerLength, sealed.length),
            associatedData(header, binding));
    }

    private byte[] key(byte[] secret, byte[] salt) {
        return Hashes.hmacSha256(secret, keyLabel, salt);
    }

    private byte[] nonceSeed(byte[] key) {
        return Arrays.copyOf(Hashes.hmacSha256(key, nonceLabel), SegmentedAead.NONCE_SEED_BYTES);
    }

    private static byte[] associatedData(byte[] header, byte[] binding) {
        byte[] ad = Arrays.copyOf(header, header.length + binding.length);
        System.arraycopy(binding, 0, ad, header.length, binding.length);
        return ad;
    }
}

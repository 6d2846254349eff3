package org.epost.post.log;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;

import org.epost.overlay.id.Id;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.Hashes;
import org.epost.post.crypto.SaltedSeal;
import org.epost.post.crypto.SealedBox;

/**
 * Encryption of a log's blocks under the log's own 32-byte symmetric key, which the head carries sealed to the owner's
 * X25519 key ({@link SealedBox}). Why a per-log key rather than one sealed box per block: a sealed box costs an
 * ephemeral X25519 key generation and agreement on every seal and every open, so opening a log with a long tail
 * would pay one agreement per cluster; with a log key, opening pays one agreement and then only AES-GCM. It also
 * lets the owner later share one log (seal its key to someone else) without re-encrypting it.
 *
 * <p>Block content layout: {@code "EPLB" | format 1 | type (u8) | salt (16 random bytes) | ciphertext}, a
 * {@link SaltedSeal} under the log key with the labels {@code "epost/log/block/v1"} and
 * {@code "epost/log/nonce-seed/v1"}, bound to the log's head handle: a fresh key per block means nonces never repeat
 * under one key; the associated data binds a block to its type and its log.
 */
final class LogCipher {
    static final int KEY_BYTES = 32;
    private static final byte[] MAGIC = "EPLB".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT = 1;
    static final int PREFIX_BYTES = MAGIC.length + 2;
    private static final SaltedSeal SEAL = new SaltedSeal("epost/log/block/v1".getBytes(StandardCharsets.US_ASCII),
        "epost/log/nonce-seed/v1".getBytes(StandardCharsets.US_ASCII));
    private static final SecureRandom RANDOM = new SecureRandom();

    enum BlockType {
        CLUSTER(1), SNAPSHOT(2), SNAPSHOT_CHUNK(3), CACHED_VIEW(4),
        /** A cached view sealed in segments ({@link SegmentedView}, format 2: AES-GCM), not a {@link SaltedSeal}. */
        SEGMENTED_VIEW(5),
        /** A cached view sealed in segments with ChaCha20-Poly1305 ({@link SegmentedView}, format 3). */
        CHACHA_VIEW(6);

        final int code;

        BlockType(int code) {
            this.code = code;
        }
    }

    private final byte[] logKey;
    private final Id logHandle;

    LogCipher(byte[] logKey, Id logHandle) {
        if (logKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("a log key has " + KEY_BYTES + " bytes");
        }
        this.logKey = logKey.clone();
        this.logHandle = logHandle;
    }

    static byte[] newLogKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    static byte[] sealLogKey(PublicKey ownerEncryptionKey, byte[] logKey, String label) {
        return SealedBox.seal(ownerEncryptionKey, logKey, keyContext(label));
    }

    static byte[] openLogKey(KeyPair ownerEncryption, byte[] sealed, String label) throws CryptoException {
        byte[] key = SealedBox.open(ownerEncryption, sealed, keyContext(label));
        if (key.length != KEY_BYTES) {
            throw new CryptoException("log key of " + key.length + " bytes");
        }
        return key;
    }

    private static String keyContext(String label) {
        return "log-key/" + label;
    }

    /** Bytes the sealed content adds to {@code plaintextLength}. */
    static long sealedLength(long plaintextLength) {
        return SaltedSeal.sealedLength(PREFIX_BYTES, plaintextLength);
    }

    byte[] seal(BlockType type, byte[] plaintext) {
        return SEAL.seal(logKey, prefix(type), plaintext, logHandle.toBytes());
    }

    byte[] open(BlockType expected, byte[] content) throws CryptoException {
        checkPrefix(expected, content, PREFIX_BYTES + SaltedSeal.SALT_BYTES);
        return SEAL.open(logKey, content, PREFIX_BYTES, logHandle.toBytes());
    }

    static byte[] prefix(BlockType type) {
        byte[] prefix = Arrays.copyOf(MAGIC, PREFIX_BYTES);
        prefix[MAGIC.length] = FORMAT;
        prefix[MAGIC.length + 1] = (byte) type.code;
        return prefix;
    }

    /** Whether {@code content} starts as a log block of {@code type} (its magic, format and type byte). */
    static boolean isOfType(BlockType type, byte[] content) {
        return content.length >= PREFIX_BYTES && Arrays.equals(content, 0, PREFIX_BYTES, prefix(type), 0, PREFIX_BYTES);
    }

    static void checkPrefix(BlockType expected, byte[] content, int minimumLength) throws CryptoException {
        if (content.length < minimumLength) {
            throw new CryptoException("log block of " + content.length + " bytes is truncated");
        }
        if (!Arrays.equals(content, 0, MAGIC.length, MAGIC, 0, MAGIC.length) || content[MAGIC.length] != FORMAT) {
            throw new CryptoException("not a log block (bad magic or format)");
        }
        if (content[MAGIC.length + 1] != expected.code) {
            throw new CryptoException("expected a " + expected + " block, found type " + content[MAGIC.length + 1]);
        }
    }

    /** A key of its own for one use of the log key: {@code HMAC(log key, label, salt)}. */
    byte[] derive(byte[] label, byte[] salt) {
        return Hashes.hmacSha256(logKey, label, salt);
    }

    /** What every block of this log is bound to: the log's head handle. */
    byte[] binding() {
        return logHandle.toBytes();
    }
}

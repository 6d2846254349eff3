package org.epost.post.spool;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.Hashes;
import org.epost.post.crypto.SegmentedAead;

/**
 * A mail's message as an ePOST peer puts it in James's spool (the ActiveMQ journal): sealed with AES-256-GCM (POST's
 * segmented AEAD) under a key of its own, derived from the peer's spool key and a random salt, so that a message waiting
 * for a retry or for remote delivery is not on disk in plaintext. The spool key itself is derived from
 * {@code post.vault.secret} ({@link #spoolKey}): only this peer can open what it spooled, also after a restart.
 * Canonical CBOR: {@code [1, "epost/spool-body", salt bstr(16), ciphertext bstr]}.
 */
public record SealedSpoolBody(byte[] salt, byte[] ciphertext) {
    static final int FORMAT_VERSION = 1;
    static final int SALT_BYTES = 16;
    private static final String CONTEXT = "epost/spool-body";
    private static final byte[] NONCE_SEED = new byte[SegmentedAead.NONCE_SEED_BYTES];
    private static final SecureRandom RANDOM = new SecureRandom();

    public SealedSpoolBody {
        java.util.Objects.requireNonNull(salt, "salt");
        java.util.Objects.requireNonNull(ciphertext, "ciphertext");
        if (salt.length != SALT_BYTES) {
            throw new IllegalArgumentException("a spool body's salt has " + SALT_BYTES + " bytes, not " + salt.length);
        }
        salt = salt.clone();
        ciphertext = ciphertext.clone();
    }

    /** The peer's spool key: what seals its spooled messages, derived from its vault secret. */
    public static byte[] spoolKey(byte[] vaultSecret) {
        return Hashes.hmacSha256(vaultSecret, "epost/spool-key/v1".getBytes(StandardCharsets.US_ASCII));
    }

    public static SealedSpoolBody seal(byte[] spoolKey, byte[] message) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        // a fresh key per message: the fixed nonce seed is then never used twice under one key
        return new SealedSpoolBody(salt, SegmentedAead.encrypt(messageKey(spoolKey, salt), NONCE_SEED, message,
            CONTEXT.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The message; a {@link CryptoException} when it was altered or sealed by another peer. */
    public byte[] open(byte[] spoolKey) throws CryptoException {
        return SegmentedAead.decrypt(messageKey(spoolKey, salt), NONCE_SEED, ciphertext,
            CONTEXT.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] messageKey(byte[] spoolKey, byte[] salt) {
        return Hashes.hmacSha256(spoolKey, salt);
    }

    public byte[] encoded() {
        return CborRecordWriter.versioned(FORMAT_VERSION, 3, 64 + ciphertext.length)
            .text(CONTEXT).bytes(salt).bytes(ciphertext).end().toBytes();
    }

    /** Decodes strictly; an {@link IllegalArgumentException} says why it is refused. */
    public static SealedSpoolBody decode(byte[] encoded) {
        return CborRecordReader.decodeCanonical(encoded, "spool body", failures("spool body"), reader -> {
            beginRecord(reader, FORMAT_VERSION, "spool body", CONTEXT);
            byte[] salt = reader.exactBytes("salt", SALT_BYTES);
            byte[] ciphertext = reader.bytes(Integer.MAX_VALUE - 64);
            reader.endArray();
            return new SealedSpoolBody(salt, ciphertext);
        }, SealedSpoolBody::encoded);
    }

    /** How the spool's decoders refuse bytes: an {@link IllegalArgumentException} naming {@code what}. */
    static CanonicalCborReader.Failures<IllegalArgumentException> failures(String what) {
        return (oversized, message, cause) -> new IllegalArgumentException(what + ": " + message, cause);
    }

    /** Reads the version and context of a spool record, refusing any other. */
    static void beginRecord(CborRecordReader<IllegalArgumentException> reader, int version, String what,
                            String context) {
        reader.beginRecord(version, what);
        String found = reader.text(context.length());
        if (!found.equals(context)) {
            throw reader.malformed("expected \"" + context + "\" but found \"" + found + "\"");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedSpoolBody body && Arrays.equals(salt, body.salt)
            && Arrays.equals(ciphertext, body.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(salt) + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "SealedSpoolBody[" + ciphertext.length + " bytes]";
    }
}

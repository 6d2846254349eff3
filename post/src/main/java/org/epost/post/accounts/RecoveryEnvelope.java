package org.epost.post.accounts;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.Hashes;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.SegmentedAead;

/**
 * A user's key vault entry (private keys, certificate, newest identity version) sealed for recovery, so the user
 * survives the loss of the home peer's disk: to the organization's recovery key ({@link OrganizationRecoveryKey},
 * private half offline with the admin), and optionally also under the user's password (Argon2id, {@link PasswordKdf}).
 *
 * <p><b>Where it lives.</b> The payload of the PAST public-key block with label {@value #LABEL} under the user's
 * certified signing key: handle H(signingKey || "recovery"), signed by that key, replaceable only by its owner with a
 * higher version. Chosen over a content-hash block referenced from the identity block because it is found from the
 * certificate alone (an address is all a recovering admin has), it can be replaced in place when the keys or the
 * certificate change, and the signature ties it to the certified key: an envelope from any other key is refused
 * ({@link #verify}). The identity block stays as it is (no new field, no new format version).
 *
 * <p><b>Payload</b>, canonical CBOR:
 * <pre>
 *   [format version 1, "epost/recovery-envelope", address: tstr, recoveryKeyId: bstr(32) = SHA-256(X.509 key),
 *    certificateDigest: bstr(32) = SHA-256(certificate block in the entry),
 *    sealed: bstr = SealedBox(recovery key, key vault entry record, context "recovery-envelope/" + address),
 *    password: [] | [[salt: bstr(16), memoryKiB, iterations, parallelism,
 *                     ciphertext: bstr = SegmentedAead(Argon2id(password, salt) -> key 32 || nonce seed 7,
 *                                                      entry record, "epost/recovery-envelope/password/v1\0" || address)]]]
 * </pre>
 * The entry record is the key vault's own ({@code KeyVault}'s canonical CBOR entry, which names the address again and
 * whose key pairs are checked to match). The two digests let the home peer tell whether its published envelope is
 * current (same recovery key, same certificate) without being able to open it.
 */
public final class RecoveryEnvelope {
    public static final String LABEL = "recovery";
    static final int FORMAT_VERSION = 1;
    private static final String PAYLOAD_CONTEXT = "epost/recovery-envelope";
    private static final byte[] PASSWORD_CONTEXT = "epost/recovery-envelope/password/v1\0"
            .getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST_BYTES = 32;
    private static final int MAX_SEALED_BYTES = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String address;
    private final byte[] recoveryKeyId;
    private final byte[] certificateDigest;
    private final byte[] sealed;
    private final PasswordSlot password;

    /** The entry sealed under a password: Argon2id's salt and parameters, and the ciphertext. */
    private record PasswordSlot(byte[] salt, PasswordKdf kdf, byte[] ciphertext) {
    }

    private RecoveryEnvelope(String address, byte[] recoveryKeyId, byte[] certificateDigest, byte[] sealed,
                             PasswordSlot password) {
        this.address = address;
        this.recoveryKeyId = recoveryKeyId;
        this.certificateDigest = certificateDigest;
        this.sealed = sealed;
        this.password = password;
    }

    /** Seals {@code entry} of {@code address} to {@code recoveryKey} only. */
    public static RecoveryEnvelope seal(String address, KeyVault.Entry entry, PublicKey recoveryKey) {
        return seal(address, entry, recoveryKey, null, null);
    }

    /**
     * Seals {@code entry} of {@code address} to {@code recoveryKey} and, if {@code userPassword} is not null, also
     * under that password with {@code kdf}.
     */
    public static RecoveryEnvelope seal(String address, KeyVault.Entry entry, PublicKey recoveryKey,
                                        char[] userPassword, PasswordKdf kdf) {
        String normalized = AccountAddress.normalize(address);
        Objects.requireNonNull(entry, "entry");
        byte[] record = KeyVault.encodeEntry(normalized, entry);
        try {
            byte[] sealed = SealedBox.seal(recoveryKey, record, sealingContext(normalized));
            PasswordSlot slot = null;
            if (userPassword != null) {
                byte[] salt = new byte[PasswordKdf.SALT_BYTES];
                RANDOM.nextBytes(salt);
                PasswordKdf parameters = Objects.requireNonNull(kdf, "kdf");
                byte[] keys = parameters.derive(userPassword, salt, SegmentedAead.KEY_BYTES
                        + SegmentedAead.NONCE_SEED_BYTES);
                try {
                    slot = new PasswordSlot(salt, parameters, SegmentedAead.encrypt(
                            Arrays.copyOf(keys, SegmentedAead.KEY_BYTES),
                            Arrays.copyOfRange(keys, SegmentedAead.KEY_BYTES, keys.length), record,
                            passwordContext(normalized)));
                } finally {
                    Arrays.fill(keys, (byte) 0);
                }
            }
            return new RecoveryEnvelope(normalized, OrganizationRecoveryKey.idOf(recoveryKey),
                    Hashes.sha256(entry.certificate()), sealed, slot);
        } finally {
            Arrays.fill(record, (byte) 0);
        }
    }

    /** Where the envelope of the holder of {@code signingKey} is stored. */
    public static BlockKey keyFor(PublicKey signingKey) {
        return new BlockKey(PublicKeyBlock.handleFor(signingKey, LABEL), BlockKind.PUBLIC_KEY);
    }

    /** The envelope as version {@code version} of its public-key block, signed with the user's key. */
    public PublicKeyBlock sign(UserKeys keys, long version) {
        return PublicKeyBlock.sign(keys.signing(), LABEL, version, encoded());
    }

    /**
     * The envelope in {@code block}, accepted only as the recovery block of the user {@code certificate} certifies:
     * a public-key block under the certified signing key with label {@value #LABEL}, whose payload decodes strictly
     * and names the same address.
     */
    public static RecoveryEnvelope verify(Block block, UserCertificate certificate) throws AccountException {
        if (!(block instanceof PublicKeyBlock publicKeyBlock)) {
            throw new AccountException(AccountException.Reason.MALFORMED, "a recovery envelope is a public-key block,"
                    + " not " + block.kind());
        }
        if (!publicKeyBlock.publicKey().equals(certificate.signingKey()) || !publicKeyBlock.label().equals(LABEL)
                || !publicKeyBlock.handle().equals(keyFor(certificate.signingKey()).handle())) {
            throw new AccountException(AccountException.Reason.WRONG_KEY, "the recovery envelope of "
                    + certificate.address() + " is not signed by its certified key");
        }
        RecoveryEnvelope envelope = decode(publicKeyBlock.payload());
        if (!envelope.address.equals(certificate.address())) {
            throw new AccountException(AccountException.Reason.WRONG_KEY,
                    "recovery envelope names " + envelope.address + ", not " + certificate.address());
        }
        return envelope;
    }

    /** Decodes a payload strictly (exact layout, bounds, canonical bytes, format version 1). */
    public static RecoveryEnvelope decode(byte[] payload) throws AccountException {
        try {
            return CborRecordReader.decodeCanonical(payload, "recovery envelope", FormatException.FAILURES,
                    RecoveryEnvelope::read, RecoveryEnvelope::encoded);
        } catch (FormatException | IllegalArgumentException e) {
            throw new AccountException(AccountException.Reason.MALFORMED, "recovery envelope: " + e.getMessage(), e);
        }
    }

    /** Opens the envelope with the organization's recovery key pair (on the admin's machine). */
    public KeyVault.Entry open(KeyPair recoveryKey) throws AccountException {
        if (!MessageDigest.isEqual(recoveryKeyId, OrganizationRecoveryKey.idOf(recoveryKey.getPublic()))) {
            throw new AccountException(AccountException.Reason.WRONG_KEY, "the recovery envelope of " + address
                    + " is sealed to another recovery key (id " + Hex.of(recoveryKeyId) + ")");
        }
        byte[] record;
        try {
            record = SealedBox.open(recoveryKey, sealed, sealingContext(address));
        } catch (CryptoException e) {
            throw new AccountException(AccountException.Reason.BAD_SIGNATURE, "the recovery envelope of " + address
                    + " does not open with the recovery key (tampered)", e);
        }
        return decodeEntry(record);
    }

    /** Opens the password slot with the user's password. */
    public KeyVault.Entry open(char[] userPassword) throws AccountException {
        if (password == null) {
            throw new AccountException(AccountException.Reason.NOT_FOUND, "the recovery envelope of " + address
                    + " has no password slot");
        }
        byte[] keys = password.kdf().derive(userPassword, password.salt(), SegmentedAead.KEY_BYTES
                + SegmentedAead.NONCE_SEED_BYTES);
        byte[] record;
        try {
            record = SegmentedAead.decrypt(Arrays.copyOf(keys, SegmentedAead.KEY_BYTES),
                    Arrays.copyOfRange(keys, SegmentedAead.KEY_BYTES, keys.length), password.ciphertext(),
                    passwordContext(address));
        } catch (CryptoException e) {
            throw new AccountException(AccountException.Reason.WRONG_KEY, "wrong password for the recovery envelope"
                    + " of " + address + " (or it was tampered with)", e);
        } finally {
            Arrays.fill(keys, (byte) 0);
        }
        return decodeEntry(record);
    }

    private KeyVault.Entry decodeEntry(byte[] record) throws AccountException {
        try {
            KeyVault.Entry entry = KeyVault.decodeEntry(address, record);
            if (!MessageDigest.isEqual(certificateDigest, Hashes.sha256(entry.certificate()))) {
                throw new AccountException(AccountException.Reason.MALFORMED, "the recovery envelope of " + address
                        + " names another certificate than the one sealed in it");
            }
            return entry;
        } catch (FormatException e) {
            throw new AccountException(AccountException.Reason.MALFORMED, "the key vault entry sealed for " + address
                    + " does not decode: " + e.getMessage(), e);
        } finally {
            Arrays.fill(record, (byte) 0);
        }
    }

    public String address() {
        return address;
    }

    /** Whether this envelope is sealed to {@code recoveryKey}. */
    public boolean sealedTo(PublicKey recoveryKey) {
        return MessageDigest.isEqual(recoveryKeyId, OrganizationRecoveryKey.idOf(recoveryKey));
    }

    /** Whether the entry sealed here carries the certificate {@code certificateBlock} (encoded). */
    public boolean carriesCertificate(byte[] certificateBlock) {
        return MessageDigest.isEqual(certificateDigest, Hashes.sha256(certificateBlock));
    }

    public boolean hasPasswordSlot() {
        return password != null;
    }

    /** The canonical payload. */
    public byte[] encoded() {
        CborRecordWriter writer = CborRecordWriter.versioned(FORMAT_VERSION, 6, 512 + sealed.length * 2)
                .text(PAYLOAD_CONTEXT).text(address).bytes(recoveryKeyId).bytes(certificateDigest).bytes(sealed);
        writer.optional(password, slot -> writer.array(5).bytes(slot.salt()).number(slot.kdf().memoryKiB())
                .number(slot.kdf().iterations()).number(slot.kdf().parallelism()).bytes(slot.ciphertext()).end());
        return writer.end().toBytes();
    }

    private static RecoveryEnvelope read(CborRecordReader<FormatException> reader) throws FormatException {
        reader.beginRecord(FORMAT_VERSION, "recovery envelope");
        String context = reader.text(PAYLOAD_CONTEXT.length());
        if (!context.equals(PAYLOAD_CONTEXT)) {
            throw reader.malformed("expected \"" + PAYLOAD_CONTEXT + "\" but found \"" + context + "\"");
        }
        String address = reader.text(AccountAddress.MAX_BYTES);
        if (!AccountAddress.isNormalized(address)) {
            throw reader.malformed("not a normalized address: " + address);
        }
        byte[] keyId = reader.exactBytes("recovery key id", DIGEST_BYTES);
        byte[] certificateDigest = reader.exactBytes("certificate digest", DIGEST_BYTES);
        byte[] sealed = reader.bytes(MAX_SEALED_BYTES);
        PasswordSlot slot = reader.optional(in -> {
            in.beginArray();
            byte[] salt = in.exactBytes("salt", PasswordKdf.SALT_BYTES);
            int memory = in.bounded("memory", PasswordKdf.MAX_MEMORY_KIB);
            int iterations = in.bounded("iterations", PasswordKdf.MAX_ITERATIONS);
            int parallelism = in.bounded("parallelism", PasswordKdf.MAX_PARALLELISM);
            byte[] ciphertext = in.bytes(MAX_SEALED_BYTES);
            in.endArray();
            try {
                return new PasswordSlot(salt, new PasswordKdf(memory, iterations, parallelism), ciphertext);
            } catch (IllegalArgumentException e) {
                throw in.malformed(e.getMessage());
            }
        });
        reader.endArray();
        return new RecoveryEnvelope(address, keyId, certificateDigest, sealed, slot);
    }

    private static String sealingContext(String address) {
        return "recovery-envelope/" + address;
    }

    private static byte[] passwordContext(String address) {
        byte[] name = address.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(PASSWORD_CONTEXT, PASSWORD_CONTEXT.length + name.length);
        System.arraycopy(name, 0, out, PASSWORD_CONTEXT.length, name.length);
        return out;
    }

    @Override
    public String toString() {
        return "RecoveryEnvelope(" + address + ", recovery key " + Hex.of(recoveryKeyId).substring(0, 16)
                + (password == null ? "" : ", password slot") + ")";
    }
}

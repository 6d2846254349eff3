package org.epost.post.accounts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.Hashes;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;

/**
 * The home peer's store of its users' private keys, encrypted at rest under a key only the running peer has.
 *
 * <p><b>Keys.</b> The peer secret given at construction (at least 32 random bytes from the peer's configuration or
 * secret store; never written here) and a random 32-byte salt kept in {@code vault.meta} go through HKDF-SHA-256 into
 * three independent keys: an AES-256-GCM key for entries, an HMAC key naming entry files, and a check key whose tag in
 * {@code vault.meta} tells a wrong secret ({@link KeyVaultException.Kind#WRONG_SECRET}) apart from tampering.
 *
 * <p><b>Files.</b> One file per user, named {@code hex(HMAC(nameKey, address))[0..40] + ".key"} so the directory does
 * not list the users. Layout: {@code "EPKVENT1" (8) || nonce (12, random) || AES-GCM(record)} with associated data
 * {@code "EPKVENT1" || utf8(address)}: an entry copied over another user's file fails to authenticate. The record is
 * canonical CBOR {@code [format version 1, "epost/key-vault-entry", address, ed25519 PKCS#8, ed25519 X.509, x25519 PKCS#8,
 * x25519 X.509, certificate block bytes (may be empty), newest identity version published (-1 for none)]}.
 * Writes go to a temporary file created with mode 0600, are fsynced, atomically renamed over the entry, and the
 * directory is fsynced, so a crash leaves either the old or the new entry.
 *
 * <p>A stolen disk without the peer secret yields only the salt, ciphertexts and file-name MACs. Deleting an entry
 * removes the file; its ciphertext may linger in free blocks, but without the secret it stays unreadable.
 *
 * <p>An entry loaded is kept in memory (the peer holds its users' keys to use them anyway) with its file's identity,
 * size and modification time; a later load reads the file again only when one of those changed: every delivery asks
 * for the sender's keys, and decrypting, decoding and checking an entry costs two Ed25519 operations.
 */
public final class KeyVault {
    public static final int MIN_SECRET_BYTES = 32;
    static final String META_FILE = "vault.meta";
    static final String ENTRY_SUFFIX = ".key";
    private static final byte[] META_MAGIC = "EPKVMETA".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENTRY_MAGIC = "EPKVENT1".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    private static final String RECORD_CONTEXT = "epost/key-vault-entry";
    private static final int SALT_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_KEY_BYTES = 256;
    private static final int MAX_CERTIFICATE_BYTES = 16 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final byte[] entryKey;
    private final byte[] nameKey;

    /** What the vault keeps for one user. */
    public record Entry(UserKeys keys, byte[] certificate, long identityVersion) {
        public Entry {
            Objects.requireNonNull(keys, "keys");
            certificate = certificate == null ? new byte[0] : certificate.clone();
            if (identityVersion < -1) {
                throw new IllegalArgumentException("identityVersion " + identityVersion);
            }
        }

        @Override
        public byte[] certificate() {
            return certificate.clone();
        }

        public Entry withCertificate(byte[] encoded) {
            return new Entry(keys, encoded, identityVersion);
        }

        public Entry withIdentityVersion(long version) {
            return new Entry(keys, certificate, version);
        }
    }

    /** An entry as last read, and the file it was read from. */
    private record Loaded(Object fileKey, long size, FileTime modified, Entry entry) {
        boolean isOf(BasicFileAttributes file) {
            return Objects.equals(fileKey, file.fileKey()) && size == file.size() && modified.equals(file.lastModifiedTime());
        }
    }

    private final Map<String, Loaded> loaded = new HashMap<>();

    private KeyVault(Path directory, byte[] entryKey, byte[] nameKey) {
        this.directory = directory;
        this.entryKey = entryKey;
        this.nameKey = nameKey;
    }

    /**
     * Opens the vault in {@code directory}, creating it (mode 0700) and its salt on first use.
     *
     * @throws KeyVaultException WRONG_SECRET when {@code peerSecret} is not the vault's secret
     */
    public static KeyVault open(Path directory, byte[] peerSecret) throws KeyVaultException {
        Objects.requireNonNull(directory, "directory");
        if (peerSecret == null || peerSecret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("The peer secret has at least " + MIN_SECRET_BYTES + " bytes");
        }
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, directoryAttributes(directory.getParent()));
            }
            Path meta = directory.resolve(META_FILE);
            byte[] salt;
            if (Files.exists(meta)) {
                byte[] bytes = Files.readAllBytes(meta);
                if (bytes.length != META_MAGIC.length + SALT_BYTES + 32
                        || !Arrays.equals(Arrays.copyOf(bytes, META_MAGIC.length), META_MAGIC)) {
                    throw new KeyVaultException(KeyVaultException.Kind.TAMPERED, meta + " is not a key vault header");
                }
                salt = Arrays.copyOfRange(bytes, META_MAGIC.length, META_MAGIC.length + SALT_BYTES);
                byte[] check = Arrays.copyOfRange(bytes, META_MAGIC.length + SALT_BYTES, bytes.length);
                if (!MessageDigest.isEqual(check, checkTag(peerSecret, salt))) {
                    throw new KeyVaultException(KeyVaultException.Kind.WRONG_SECRET,
                            "the peer secret does not open the key vault in " + directory);
                }
            } else {
                salt = new byte[SALT_BYTES];
                RANDOM.nextBytes(salt);
                byte[] header = concat(META_MAGIC, salt, checkTag(peerSecret, salt));
                writeAtomically(directory, META_FILE, header, false);
            }
            return new KeyVault(directory, hkdf(peerSecret, salt, "entry"), hkdf(peerSecret, salt, "name"));
        } catch (KeyVaultException e) {
            throw e;
        } catch (IOException e) {
            throw new KeyVaultException(KeyVaultException.Kind.IO, "cannot open the key vault in " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Writes (or replaces) the entry of {@code address}. */
    public synchronized void store(String address, Entry entry) throws KeyVaultException {
        String normalized = AccountAddress.normalize(address);
        byte[] record = encodeRecord(normalized, entry);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] ciphertext;
        loaded.remove(normalized);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(entryKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(normalized));
            ciphertext = cipher.doFinal(record);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK 17 has AES-GCM", e);
        } finally {
            Arrays.fill(record, (byte) 0);
        }
        try {
            writeAtomically(directory, fileName(normalized), concat(ENTRY_MAGIC, nonce, ciphertext), true);
        } catch (IOException e) {
            throw new KeyVaultException(KeyVaultException.Kind.IO, "cannot write the keys of " + normalized, e);
        }
    }

    /**
     * The entry of {@code address}, or empty if there is none.
     *
     * @throws KeyVaultException TAMPERED when the file does not authenticate
     */
    public synchronized Optional<Entry> load(String address) throws KeyVaultException {
        String normalized = AccountAddress.normalize(address);
        Path file = directory.resolve(fileName(normalized));
        byte[] bytes;
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Loaded cached = loaded.get(normalized);
            if (cached != null && cached.isOf(attributes)) {
                return Optional.of(cached.entry());
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            loaded.remove(normalized);
            return Optional.empty();
        } catch (IOException e) {
            throw new KeyVaultException(KeyVaultException.Kind.IO, "cannot read the keys of " + normalized, e);
        }
        if (bytes.length < ENTRY_MAGIC.length + NONCE_BYTES + TAG_BITS / 8
                || !Arrays.equals(Arrays.copyOf(bytes, ENTRY_MAGIC.length), ENTRY_MAGIC)) {
            throw new KeyVaultException(KeyVaultException.Kind.TAMPERED, file + " is not a key vault entry");
        }
        byte[] record;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(entryKey, "AES"), new GCMParameterSpec(TAG_BITS,
                    bytes, ENTRY_MAGIC.length, NONCE_BYTES));
            cipher.updateAAD(associatedData(normalized));
            int offset = ENTRY_MAGIC.length + NONCE_BYTES;
            record = cipher.doFinal(bytes, offset, bytes.length - offset);
        } catch (AEADBadTagException e) {
            throw new KeyVaultException(KeyVaultException.Kind.TAMPERED,
                    "the keys of " + normalized + " in " + file + " do not authenticate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK 17 has AES-GCM", e);
        }
        try {
            Entry entry = decodeRecord(normalized, record);
            if (attributes.size() == bytes.length) { // else rewritten while read: read it again next time
                loaded.put(normalized, new Loaded(attributes.fileKey(), attributes.size(),
                    attributes.lastModifiedTime(), entry));
            }
            return Optional.of(entry);
        } catch (FormatException | RuntimeException e) {
            // Authenticated yet undecodable: written by a different format version or a bug, never by an attacker.
            throw new KeyVaultException(KeyVaultException.Kind.TAMPERED,
                    "the keys of " + normalized + " authenticate but do not decode: " + e.getMessage(), e);
        } finally {
            Arrays.fill(record, (byte) 0);
        }
    }

    public synchronized boolean contains(String address) {
        return Files.exists(directory.resolve(fileName(AccountAddress.normalize(address))));
    }

    /** Removes the entry of {@code address}; false if there was none. */
    public synchronized boolean delete(String address) throws KeyVaultException {
        String normalized = AccountAddress.normalize(address);
        loaded.remove(normalized);
        try {
            boolean deleted = Files.deleteIfExists(directory.resolve(fileName(normalized)));
            if (deleted) {
                fsyncDirectory(directory);
            }
            return deleted;
        } catch (IOException e) {
            throw new KeyVaultException(KeyVaultException.Kind.IO, "cannot delete the keys of " + normalized, e);
        }
    }

    /** The file holding the entry of {@code address} (tests and operators; its name reveals nothing). */
    public Path fileOf(String address) {
        return directory.resolve(fileName(AccountAddress.normalize(address)));
    }

    // ------------------------------------------------------------------ encoding

    /** The canonical record of {@code entry} (private keys in plaintext: the caller seals it and clears it). */
    static byte[] encodeEntry(String normalizedAddress, Entry entry) {
        return encodeRecord(normalizedAddress, entry);
    }

    /** Decodes a record written by {@link #encodeEntry} for {@code normalizedAddress}; key pairs must match. */
    static Entry decodeEntry(String normalizedAddress, byte[] record) throws FormatException {
        return decodeRecord(normalizedAddress, record);
    }

    private static byte[] encodeRecord(String address, Entry entry) {
        UserKeys keys = entry.keys();
        return CborRecordWriter.versioned(FORMAT_VERSION, 8, 256).text(RECORD_CONTEXT).text(address)
                .bytes(keys.signing().getPrivate().getEncoded()).bytes(keys.signing().getPublic().getEncoded())
                .bytes(keys.encryption().getPrivate().getEncoded()).bytes(keys.encryption().getPublic().getEncoded())
                .bytes(entry.certificate).number(entry.identityVersion()).end().toBytes();
    }

    private static Entry decodeRecord(String expectedAddress, byte[] record) throws FormatException {
        Entry entry = CborRecordReader.decodeCanonical(record, "key vault entry", FormatException.FAILURES,
                reader -> readRecord(reader, expectedAddress), decoded -> encodeRecord(expectedAddress, decoded));
        PrivateKey signingPrivate = entry.keys().signing().getPrivate();
        byte[] probe = "epost/key-vault/probe".getBytes(StandardCharsets.US_ASCII);
        if (!Signatures.verify(entry.keys().signing().getPublic(), probe, Signatures.sign(signingPrivate, probe))) {
            throw new FormatException("the stored signing key pair does not match");
        }
        return entry;
    }

    private static Entry readRecord(CborRecordReader<FormatException> reader, String expectedAddress)
            throws FormatException {
        reader.beginRecord(FORMAT_VERSION, "key vault entry");
        String context = reader.text(RECORD_CONTEXT.length());
        if (!context.equals(RECORD_CONTEXT)) {
            throw reader.malformed("expected \"" + RECORD_CONTEXT + "\" but found \"" + context + "\"");
        }
        String address = reader.text(AccountAddress.MAX_BYTES);
        if (!address.equals(expectedAddress)) {
            throw reader.malformed("entry of " + address + " stored as " + expectedAddress);
        }
        try {
            PrivateKey signingPrivate = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(reader.bytes(MAX_KEY_BYTES)));
            PublicKey signingPublic = Signatures.decodePublicKey(reader.bytes(MAX_KEY_BYTES));
            PrivateKey encryptionPrivate = KeyFactory.getInstance("X25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(reader.bytes(MAX_KEY_BYTES)));
            PublicKey encryptionPublic = SealedBox.decodePublicKey(reader.bytes(MAX_KEY_BYTES));
            byte[] certificate = reader.bytes(MAX_CERTIFICATE_BYTES);
            long identityVersion = reader.number();
            reader.endArray();
            return new Entry(new UserKeys(new KeyPair(signingPublic, signingPrivate),
                    new KeyPair(encryptionPublic, encryptionPrivate)), certificate, identityVersion);
        } catch (CryptoException | GeneralSecurityException e) {
            throw new FormatException("undecodable key", e);
        }
    }

    private String fileName(String normalizedAddress) {
        byte[] mac = Hashes.hmacSha256(nameKey, normalizedAddress.getBytes(StandardCharsets.UTF_8));
        return Hex.of(Arrays.copyOf(mac, 20)) + ENTRY_SUFFIX;
    }

    private static byte[] associatedData(String normalizedAddress) {
        return concat(ENTRY_MAGIC, normalizedAddress.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ keys

    private static byte[] checkTag(byte[] secret, byte[] salt) {
        return Hashes.hmacSha256(hkdf(secret, salt, "check"),
                "epost/key-vault/v1/check".getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hkdf(byte[] secret, byte[] salt, String purpose) {
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
        generator.init(new HKDFParameters(secret, salt,
                ("epost/key-vault/v1/" + purpose).getBytes(StandardCharsets.US_ASCII)));
        byte[] out = new byte[32];
        generator.generateBytes(out, 0, out.length);
        return out;
    }

    // ------------------------------------------------------------------ files

    /** Write to a 0600 temporary file, fsync, rename over {@code name}, fsync the directory. */
    public static void writeAtomically(Path directory, String name, byte[] content, boolean replace) throws IOException {
        Path target = directory.resolve(name);
        if (!replace && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        byte[] suffix = new byte[6];
        RANDOM.nextBytes(suffix);
        Path temporary = directory.resolve("." + name + ".tmp-" + Hex.of(suffix));
        try {
            try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), fileAttributes(directory))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("The file system of " + directory + " cannot rename atomically", e);
            }
            fsyncDirectory(directory);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void fsyncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename itself was still atomic.
        }
    }

    private static FileAttribute<?>[] fileAttributes(Path directory) {
        if (isPosix(directory)) {
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(ownerOnly)};
        }
        return new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] directoryAttributes(Path parent) {
        if (isPosix(parent == null ? Path.of(".") : parent)) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))};
        }
        return new FileAttribute<?>[0];
    }

    private static boolean isPosix(Path somewhere) {
        return somewhere.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }
}

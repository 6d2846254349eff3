package org.epost.overlay.past.block;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CanonicalCborWriter;

/**
 * A name bound to public keys by the organization CA, immutable until {@code notAfter}. Handle: {@code
 * Id.hash(utf8(name))}.
 *
 * <p>Encoding: CBOR array {@code [3, name: tstr, publicKeys: [bstr, ...], notAfter: uint (ms since epoch),
 * caSignature: bstr(64)]}. The keys are X.509-encoded and opaque here (an account certificate carries an Ed25519
 * signing key and an X25519 encryption key, in an order the accounts layer defines); at least one is required.
 *
 * <p>CA signature: Ed25519 by the CA key over {@code ["epost/past/certificate-block/v1", handle: bstr(20), name,
 * [publicKeys], notAfter]}: every stored byte but the signature.
 */
public final class CertificateBlock implements Block {
    private static final String SIGNATURE_CONTEXT = "epost/past/certificate-block/v1";

    private final Id handle;
    private final String name;
    private final List<byte[]> publicKeys;
    private final long notAfter;
    private final byte[] caSignature;
    private final byte[] encoded;

    private CertificateBlock(String name, List<byte[]> publicKeys, long notAfter, byte[] caSignature) {
        this.name = name;
        this.publicKeys = publicKeys;
        this.notAfter = notAfter;
        this.caSignature = caSignature;
        this.handle = handleFor(name);
        CanonicalCborWriter writer = new CanonicalCborWriter(256)
                .startArray(5).number(BlockKind.CERTIFICATE.code()).text(name);
        writeKeys(writer, publicKeys);
        this.encoded = writer.number(notAfter).bytes(caSignature).endArray().toBytes();
    }

    /** Has the CA sign a certificate binding {@code name} to {@code publicKeys} until {@code notAfterMillis}. */
    public static CertificateBlock issue(PrivateKey caKey, String name, List<byte[]> publicKeys,
                                         long notAfterMillis) {
        return issue(caKey, name, publicKeys, notAfterMillis, BlockLimits.DEFAULT);
    }

    public static CertificateBlock issue(PrivateKey caKey, String name, List<byte[]> publicKeys, long notAfterMillis,
                                         BlockLimits limits) {
        Objects.requireNonNull(name, "name");
        if (name.getBytes(StandardCharsets.UTF_8).length > limits.maxNameBytes()) {
            throw new IllegalArgumentException("Name longer than " + limits.maxNameBytes() + " bytes");
        }
        if (publicKeys.isEmpty() || publicKeys.size() > limits.maxCertifiedKeys()) {
            throw new IllegalArgumentException("A certificate binds 1 to " + limits.maxCertifiedKeys() + " keys");
        }
        List<byte[]> keys = new ArrayList<>();
        for (byte[] key : publicKeys) {
            if (key.length == 0 || key.length > limits.maxKeyBytes()) {
                throw new IllegalArgumentException("A certified key has 1 to " + limits.maxKeyBytes() + " bytes");
            }
            keys.add(key.clone());
        }
        if (notAfterMillis < 0) {
            throw new IllegalArgumentException("notAfter before the epoch");
        }
        byte[] signature = Ed25519.sign(caKey, signedMessage(handleFor(name), name, keys, notAfterMillis));
        return new CertificateBlock(name, List.copyOf(keys), notAfterMillis, signature);
    }

    public static Id handleFor(String name) {
        return Id.hash(name.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] signedMessage(Id handle, String name, List<byte[]> keys, long notAfter) {
        CanonicalCborWriter writer = new CanonicalCborWriter(256).startArray(5).text(SIGNATURE_CONTEXT).bytes(handle.toBytes())
                .text(name);
        writeKeys(writer, keys);
        return writer.number(notAfter).endArray().toBytes();
    }

    private static void writeKeys(CanonicalCborWriter writer, List<byte[]> keys) {
        writer.startArray(keys.size());
        for (byte[] key : keys) {
            writer.bytes(key);
        }
        writer.endArray();
    }

    static CertificateBlock readFields(CanonicalCborReader<MalformedBlockException> reader, BlockLimits limits) throws MalformedBlockException {
        String name = reader.readText(limits.maxNameBytes());
        reader.beginArray();
        List<byte[]> keys = new ArrayList<>();
        while (reader.hasNextElement()) {
            if (keys.size() == limits.maxCertifiedKeys()) {
                throw new MalformedBlockException(RejectionReason.OVERSIZED, "too many certified keys");
            }
            byte[] key = reader.readBytes(limits.maxKeyBytes());
            if (key.length == 0) {
                throw new MalformedBlockException("empty certified key");
            }
            keys.add(key);
        }
        if (keys.isEmpty()) {
            throw new MalformedBlockException("a certificate binds at least one key");
        }
        long notAfter = reader.readLong();
        if (notAfter < 0) {
            throw new MalformedBlockException("notAfter before the epoch");
        }
        byte[] signature = reader.readBytes(Ed25519.SIGNATURE_BYTES);
        return new CertificateBlock(name, List.copyOf(keys), notAfter, signature);
    }

    boolean isSignedBy(PublicKey ca) {
        return Ed25519.verify(ca, signedMessage(handle, name, publicKeys, notAfter), caSignature);
    }

    /** Whether the certificate has expired at {@code now}, allowing peers' clocks to differ by {@code skewMillis}. */
    public boolean isExpiredAt(long now, long skewMillis) {
        return now > saturatedAdd(notAfter, skewMillis);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    @Override
    public Id handle() {
        return handle;
    }

    @Override
    public BlockKind kind() {
        return BlockKind.CERTIFICATE;
    }

    public String name() {
        return name;
    }

    /** Copies of the certified X.509-encoded keys, in certificate order. */
    public List<byte[]> publicKeys() {
        List<byte[]> copies = new ArrayList<>(publicKeys.size());
        publicKeys.forEach(key -> copies.add(key.clone()));
        return copies;
    }

    public long notAfter() {
        return notAfter;
    }

    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public int encodedLength() {
        return encoded.length;
    }

    byte[] encodedWithoutCopy() {
        return encoded;
    }

    @Override
    public String toString() {
        return "CertificateBlock" + handle + "(" + name + ", notAfter " + notAfter + ")";
    }
}

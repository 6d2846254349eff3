package org.epost.overlay.past.block;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * A name bound to public keys by the organization CA, immutable until {@code notAfter}. Handle: {@code
 * Id.hash(utf8(name))}.
 *
 * <p>Encoding: CBOR record {@code [formatVersion 1, kind 3, name: tstr, publicKeys: [bstr, ...], notAfter: uint (ms
 * since epoch), caSignature: bstr(64)]} ({@link BlockCodec}). The keys are X.509-encoded and opaque here (an account
 * certificate carries an Ed25519 signing key and an X25519 encryption key, in an order the accounts layer defines);
 * at least one is required.
 *
 * <p>CA signature: Ed25519 by the CA key over the CBOR record {@code [formatVersion, "epost/past/certificate-block",
 * handle: bstr(20), name, [publicKeys], notAfter]}: every stored byte but the signature (the kind by the string).
 * The format version leads the signed record as it leads the block, so a certificate cannot be relabelled with
 * another format version without breaking the CA's signature.
 */
public final class CertificateBlock implements Block {
    /** The format version of certificate blocks ({@link BlockKind#formatVersion()}). */
    public static final int FORMAT_VERSION = 1;

    private static final String SIGNATURE_CONTEXT = "epost/past/certificate-block";

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
        CborRecordWriter writer = BlockCodec.start(BlockKind.CERTIFICATE, 4, 256);
        this.encoded = writer.text(name).list(publicKeys, writer::bytes).number(notAfter).bytes(caSignature).end()
                .toBytes();
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
        byte[] signature = Ed25519.sign(caKey,
                signedMessage(FORMAT_VERSION, handleFor(name), name, keys, notAfterMillis));
        return new CertificateBlock(name, List.copyOf(keys), notAfterMillis, signature);
    }

    public static Id handleFor(String name) {
        return Id.hash(name.getBytes(StandardCharsets.UTF_8));
    }

    /** What the CA signs for a certificate of layout {@code formatVersion}; a parameter so tests can vary it. */
    static byte[] signedMessage(int formatVersion, Id handle, String name, List<byte[]> keys, long notAfter) {
        CborRecordWriter writer = CborRecordWriter.versioned(formatVersion, 5, 256);
        return writer.text(SIGNATURE_CONTEXT).bytes(handle.toBytes()).text(name).list(keys, writer::bytes)
                .number(notAfter).end().toBytes();
    }

    /** Reads the fields after the envelope; the caller checks the array end and canonical form. */
    static CertificateBlock readFields(CborRecordReader<MalformedBlockException> in, BlockLimits limits)
            throws MalformedBlockException {
        String name = in.text(limits.maxNameBytes());
        List<byte[]> keys = in.list(element -> {
            byte[] key = element.bytes(limits.maxKeyBytes());
            if (key.length == 0) {
                throw element.malformed("empty certified key");
            }
            return key;
        }, limits.maxCertifiedKeys(), "certified keys");
        if (keys.isEmpty()) {
            throw in.malformed("a certificate binds at least one key");
        }
        long notAfter = in.nonNegative("notAfter");
        byte[] signature = in.bytes(Ed25519.SIGNATURE_BYTES);
        return new CertificateBlock(name, List.copyOf(keys), notAfter, signature);
    }

    boolean isSignedBy(PublicKey ca) {
        return Ed25519.verify(ca, signedMessage(FORMAT_VERSION, handle, name, publicKeys, notAfter), caSignature);
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

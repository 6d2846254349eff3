package org.epost.overlay.past.block;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * A mutable pointer owned by an Ed25519 key: the owner replaces it by signing a higher version. One key owns one
 * block per label (an identity block, one head per folder log, ...).
 *
 * <p>Handle: {@code Id.hash(x509(publicKey) || utf8(label))}. Unambiguous because an Ed25519 X.509 key is always 44
 * bytes, so the label starts at a fixed offset.
 *
 * <p>Encoding: CBOR record {@code [formatVersion 1, kind 2, publicKey: bstr(44), label: tstr, version: uint,
 * payload: bstr, signature: bstr(64)]} ({@link BlockCodec}). The format version is the layout's; {@code version} is
 * the owner's counter of replacements.
 *
 * <p>Signature: Ed25519 by the key over the CBOR record {@code [formatVersion, "epost/past/public-key-block",
 * handle: bstr(20), label, version, payload]}. The format version leads the signed record as it leads the block, so
 * a block cannot be relabelled with another format version without breaking its signature. The string separates
 * these signatures from anything else the same key signs (notifications, receipts), and from other block kinds. The
 * key itself is bound through the handle. Every stored byte but the signature is therefore covered (the kind by the
 * string), and since only the canonical encoding decodes, the stored bytes are fixed by the signed ones.
 */
public final class PublicKeyBlock implements Block {
    /** The format version of public-key blocks ({@link BlockKind#formatVersion()}). */
    public static final int FORMAT_VERSION = 1;

    private static final String SIGNATURE_CONTEXT = "epost/past/public-key-block";

    private final Id handle;
    private final PublicKey publicKey;
    private final byte[] publicKeyBytes;
    private final String label;
    private final long version;
    private final byte[] payload;
    private final byte[] signature;
    private final byte[] encoded;
    /** Made by {@link #sign} in this process, not decoded from bytes: its signature is valid by construction. */
    private final boolean signedHere;

    private PublicKeyBlock(PublicKey publicKey, byte[] publicKeyBytes, String label, long version, byte[] payload,
                           byte[] signature, boolean signedHere) {
        this.signedHere = signedHere;
        this.publicKey = publicKey;
        this.publicKeyBytes = publicKeyBytes;
        this.label = label;
        this.version = version;
        this.payload = payload;
        this.signature = signature;
        this.handle = handleFor(publicKeyBytes, label);
        this.encoded = BlockCodec.start(BlockKind.PUBLIC_KEY, 5, payload.length + 192)
                .bytes(publicKeyBytes).text(label).number(version).bytes(payload).bytes(signature).end()
                .toBytes();
    }

    /** Signs version {@code version} of the block {@code label} of {@code owner}, under the default limits. */
    public static PublicKeyBlock sign(KeyPair owner, String label, long version, byte[] payload) {
        return sign(owner, label, version, payload, BlockLimits.DEFAULT);
    }

    public static PublicKeyBlock sign(KeyPair owner, String label, long version, byte[] payload, BlockLimits limits) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(payload, "payload");
        if (version < 0) {
            throw new IllegalArgumentException("Versions start at 0: " + version);
        }
        if (label.getBytes(StandardCharsets.UTF_8).length > limits.maxLabelBytes()) {
            throw new IllegalArgumentException("Label longer than " + limits.maxLabelBytes() + " bytes");
        }
        if (payload.length > limits.maxContentBytes()) {
            throw new IllegalArgumentException("Payload of " + payload.length + " bytes exceeds the block limit of "
                    + limits.maxContentBytes());
        }
        byte[] keyBytes = Ed25519.encodePublicKey(owner.getPublic());
        byte[] message = signedMessage(FORMAT_VERSION, handleFor(keyBytes, label), label, version, payload);
        byte[] signature = Ed25519.sign(owner.getPrivate(), message);
        return new PublicKeyBlock(owner.getPublic(), keyBytes, label, version, payload.clone(), signature, true);
    }

    public static Id handleFor(PublicKey key, String label) {
        return handleFor(Ed25519.encodePublicKey(key), label);
    }

    private static Id handleFor(byte[] keyBytes, String label) {
        byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
        byte[] preimage = Arrays.copyOf(keyBytes, keyBytes.length + labelBytes.length);
        System.arraycopy(labelBytes, 0, preimage, keyBytes.length, labelBytes.length);
        return Id.hash(preimage);
    }

    /** What the owner signs for a block of layout {@code formatVersion}; a parameter so tests can vary it. */
    static byte[] signedMessage(int formatVersion, Id handle, String label, long version, byte[] payload) {
        return CborRecordWriter.versioned(formatVersion, 5, payload.length + 96)
                .text(SIGNATURE_CONTEXT).bytes(handle.toBytes()).text(label).number(version).bytes(payload).end()
                .toBytes();
    }

    /** Reads the fields after the envelope; the caller checks the array end and canonical form. */
    static PublicKeyBlock readFields(CborRecordReader<MalformedBlockException> in, BlockLimits limits)
            throws MalformedBlockException {
        byte[] keyBytes = in.bytes(Ed25519.X509_PUBLIC_KEY_BYTES);
        PublicKey key = Ed25519.decodePublicKey(keyBytes);
        String label = in.text(limits.maxLabelBytes());
        long version = in.nonNegative("version");
        byte[] payload = in.bytes(limits.maxContentBytes());
        byte[] signature = in.bytes(Ed25519.SIGNATURE_BYTES);
        return new PublicKeyBlock(key, keyBytes, label, version, payload, signature, false);
    }

    /** Whether the signature verifies under this block's own key (the handle binds that key). */
    boolean hasValidSignature() {
        return Ed25519.verify(publicKey, signedMessage(FORMAT_VERSION, handle, label, version, payload), signature);
    }

    /**
     * Whether {@code other} is a different block for the same handle and version: equivocation. Compares the signed
     * fields, not the signature bytes, since a signer may legitimately produce several signatures of one message.
     */
    public boolean equivocatesWith(PublicKeyBlock other) {
        return handle.equals(other.handle) && version == other.version && !Arrays.equals(payload, other.payload);
    }

    @Override
    public Id handle() {
        return handle;
    }

    @Override
    public BlockKind kind() {
        return BlockKind.PUBLIC_KEY;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String label() {
        return label;
    }

    public long version() {
        return version;
    }

    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public int encodedLength() {
        return encoded.length;
    }

    boolean signedHere() {
        return signedHere;
    }

    byte[] encodedWithoutCopy() {
        return encoded;
    }

    @Override
    public String toString() {
        return "PublicKeyBlock" + handle + "(" + label + " v" + version + ", " + payload.length + " bytes)";
    }
}

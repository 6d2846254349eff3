package org.epost.post.accounts;

import java.security.PublicKey;
import java.util.Arrays;

import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;

/**
 * A user's request to be certified, made by a home peer that does not hold the user CA key: the address, the user's
 * new signing and encryption public keys and the date, signed by the new signing key (proof that whoever asks holds
 * it). The admin's offline tool ({@code epost-admin certify-user}) checks that self-signature and issues the
 * {@link UserCertificate}; the peer then accepts only a certificate for exactly these keys and this address
 * ({@link #acceptCertificate}). So only the admin's machine needs the user CA key.
 *
 * <p>Format, canonical CBOR: {@code [1, "epost/certification-request", signed: bstr, signature: bstr]} where
 * {@code signed = [1, "epost/certification-request/signed", address, Ed25519 signing key X.509, X25519 encryption
 * key X.509, created (ms since the epoch)]} and {@code signature} is Ed25519 by the signing key over {@code signed}.
 */
public final class CertificationRequest {
    static final int FORMAT_VERSION = 1;
    private static final String CONTEXT = "epost/certification-request";
    private static final String SIGNED_CONTEXT = "epost/certification-request/signed";
    private static final int MAX_KEY_BYTES = 256;

    private final String address;
    private final PublicKey signingKey;
    private final PublicKey encryptionKey;
    private final long createdMillis;
    private final byte[] encoded;

    private CertificationRequest(String address, PublicKey signingKey, PublicKey encryptionKey, long createdMillis,
                                 byte[] encoded) {
        this.address = address;
        this.signingKey = signingKey;
        this.encryptionKey = encryptionKey;
        this.createdMillis = createdMillis;
        this.encoded = encoded;
    }

    /** The request of {@code address} for {@code keys}, signed with the keys' signing key. */
    public static CertificationRequest sign(String address, UserKeys keys, long createdMillis) {
        String normalized = AccountAddress.normalize(address);
        if (createdMillis < 0) {
            throw new IllegalArgumentException("A request date is not negative: " + createdMillis);
        }
        byte[] signed = signedPart(normalized, keys.signingPublicKey().getEncoded(),
                keys.encryptionPublicKey().getEncoded(), createdMillis);
        byte[] signature = Signatures.sign(keys.signing().getPrivate(), signed);
        return new CertificationRequest(normalized, keys.signingPublicKey(), keys.encryptionPublicKey(), createdMillis,
                envelope(signed, signature));
    }

    /**
     * Decodes a request and verifies its self-signature: canonical encoding, a normalized address, an Ed25519 and an
     * X25519 key, and a signature by that Ed25519 key. Refusals are {@link AccountException}s saying why.
     */
    public static CertificationRequest decode(byte[] encoded) throws AccountException {
        byte[][] parts = StrictCbor.decode(encoded, "certification request", reader -> {
            reader.beginRecord(FORMAT_VERSION, "certification request");
            StrictCbor.expect(reader, CONTEXT);
            byte[][] out = {reader.bytes(4096), reader.exactBytes("signature", Signatures.SIGNATURE_BYTES)};
            reader.endArray();
            return out;
        }, p -> envelope(p[0], p[1]));
        Object[] fields = StrictCbor.decode(parts[0], "signed certification request", reader -> {
            reader.beginRecord(FORMAT_VERSION, "signed certification request");
            StrictCbor.expect(reader, SIGNED_CONTEXT);
            Object[] out = {reader.text(AccountAddress.MAX_BYTES), reader.bytes(MAX_KEY_BYTES),
                reader.bytes(MAX_KEY_BYTES), reader.nonNegative("created")};
            reader.endArray();
            return out;
        }, f -> signedPart((String) f[0], (byte[]) f[1], (byte[]) f[2], (Long) f[3]));
        String address = (String) fields[0];
        if (!AccountAddress.isNormalized(address)) {
            throw new AccountException(AccountException.Reason.INVALID_ADDRESS,
                    "the certification request names no normalized address: " + address);
        }
        PublicKey signing;
        PublicKey encryption;
        try {
            signing = Signatures.decodePublicKey((byte[]) fields[1]);
            encryption = SealedBox.decodePublicKey((byte[]) fields[2]);
        } catch (CryptoException e) {
            throw new AccountException(AccountException.Reason.MALFORMED, "the certification request of " + address
                    + " carries no Ed25519 and X25519 key: " + e.getMessage(), e);
        }
        if (!Signatures.verify(signing, parts[0], parts[1])) {
            throw new AccountException(AccountException.Reason.BAD_SIGNATURE, "the certification request of " + address
                    + " is not signed by the signing key it asks to certify (forged or altered)");
        }
        return new CertificationRequest(address, signing, encryption, (Long) fields[3], encoded.clone());
    }

    /** On the admin's machine: the certificate of this request's address and keys, valid until {@code notAfter}. */
    public UserCertificate certify(UserCertificateIssuer issuer, long notAfterMillis) {
        return issuer.issue(address, signingKey, encryptionKey, notAfterMillis);
    }

    /**
     * On the requesting peer: {@code certificate} (a certificate block's bytes) as the certificate of
     * {@code address} for the keys in its vault, {@code keys}. Refused unless it is signed by the user CA the
     * {@code verifier} trusts (the one the organization CA endorsed), names {@code address}, is not expired, and
     * certifies exactly {@code keys}.
     */
    public static UserCertificate acceptCertificate(byte[] certificate, String address, UserKeys keys,
                                                    BlockVerifier verifier) throws AccountException {
        String normalized = AccountAddress.normalize(address);
        UserCertificate accepted = UserCertificate.verify(certificate, normalized, verifier);
        if (!keys.matches(accepted)) {
            throw new AccountException(AccountException.Reason.WRONG_KEY, "the certificate of " + normalized
                    + " certifies other keys than the ones this peer made for it (the certificate of another request)");
        }
        return accepted;
    }

    public String address() {
        return address;
    }

    public PublicKey signingKey() {
        return signingKey;
    }

    public PublicKey encryptionKey() {
        return encryptionKey;
    }

    public long createdMillis() {
        return createdMillis;
    }

    /** The canonical encoding (what travels to the admin). */
    public byte[] encoded() {
        return encoded.clone();
    }

    private static byte[] signedPart(String address, byte[] signing, byte[] encryption, long created) {
        return CborRecordWriter.versioned(FORMAT_VERSION, 5, 256).text(SIGNED_CONTEXT).text(address).bytes(signing)
                .bytes(encryption).number(created).end().toBytes();
    }

    private static byte[] envelope(byte[] signed, byte[] signature) {
        return CborRecordWriter.versioned(FORMAT_VERSION, 3, signed.length + 128).text(CONTEXT).bytes(signed)
                .bytes(signature).end().toBytes();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificationRequest other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "CertificationRequest(" + address + ", created " + createdMillis + ", signing "
                + Hex.of(signingKey.getEncoded()) + ")";
    }
}

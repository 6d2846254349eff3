package org.epost.post.accounts;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;
import java.util.Objects;

import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.Hashes;
import org.epost.post.crypto.SealedBox;

/**
 * How a user's keys travel from the admin's offline recovery key to the new home peer, and nowhere else.
 *
 * <ol>
 *   <li>The new home makes a one-time X25519 <em>transport key</em> (in memory only) and answers a {@link Request}:
 *       the user's address, the transport public key and the user's {@link RecoveryEnvelope} from PAST, signed with
 *       the peer's overlay node key (its CA-signed node certificate included).</li>
 *   <li>The admin's tool (offline, with the recovery key) checks that the request was signed by a node certified by
 *       the organization, opens the envelope, checks the keys against the user CA, and seals the key vault entry to
 *       the transport key: {@link SealedKeys}.</li>
 *   <li>The new home opens them with the transport key, forgets it, and adopts the keys.</li>
 * </ol>
 * The recovery private key never leaves the admin's machine (a peer that held it, even for one request, could open
 * every user's envelope), and only the one user's keys reach only the peer that asked for them.
 *
 * <p>Formats, canonical CBOR: request {@code [1, "epost/rehome-request", signed: bstr, signature: bstr]} where
 * {@code signed = [1, "epost/rehome-request/signed", address, transportKey X.509, envelope payload, node certificate
 * DER]} and the signature is SHA256withECDSA by the node key over {@code signed}; sealed keys {@code [1,
 * "epost/rehome-keys", address, SHA-256(transport key), SealedBox(transport key, entry record, "rehome/" + address)]}.
 */
public final class RehomeTransfer {
    static final int FORMAT_VERSION = 1;
    private static final String REQUEST_CONTEXT = "epost/rehome-request";
    private static final String SIGNED_CONTEXT = "epost/rehome-request/signed";
    private static final String KEYS_CONTEXT = "epost/rehome-keys";
    private static final int MAX_BYTES = 64 * 1024;

    private RehomeTransfer() {
    }

    /** A new home's request for the keys of {@code address}, as the admin's tool verified it. */
    public record Request(String address, PublicKey transportKey, RecoveryEnvelope envelope,
                          X509Certificate nodeCertificate) {
        public Request {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(transportKey, "transportKey");
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(nodeCertificate, "nodeCertificate");
        }
    }

    /** The signed request of a new home for {@code envelope}'s keys, to be sealed to {@code transportKey}. */
    public static byte[] request(RecoveryEnvelope envelope, PublicKey transportKey, X509Certificate nodeCertificate,
                                 PrivateKey nodeKey) {
        byte[] signed;
        try {
            signed = CborRecordWriter.versioned(FORMAT_VERSION, 5, 4096).text(SIGNED_CONTEXT).text(envelope.address())
                    .bytes(transportKey.getEncoded()).bytes(envelope.encoded()).bytes(nodeCertificate.getEncoded())
                    .end().toBytes();
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(nodeKey);
            signer.update(signed);
            return CborRecordWriter.versioned(FORMAT_VERSION, 3, signed.length + 128).text(REQUEST_CONTEXT)
                    .bytes(signed).bytes(signer.sign()).end().toBytes();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a re-home request with the node key", e);
        }
    }

    /**
     * Verifies a request: signed by a node whose certificate the organization CA {@code organizationCa} signed and
     * that is valid now, and well-formed. Does not open the envelope.
     */
    public static Request verifyRequest(byte[] encoded, X509Certificate organizationCa) throws AccountException {
        byte[][] parts = StrictCbor.decode(encoded, "re-home request", reader -> {
            reader.beginRecord(FORMAT_VERSION, "re-home request");
            StrictCbor.expect(reader, REQUEST_CONTEXT);
            byte[] signed = reader.bytes(MAX_BYTES);
            byte[] signature = reader.bytes(512);
            reader.endArray();
            return new byte[][] {signed, signature};
        }, p -> CborRecordWriter.versioned(FORMAT_VERSION, 3, p[0].length + 128).text(REQUEST_CONTEXT).bytes(p[0])
                .bytes(p[1]).end().toBytes());
        byte[][] fields = StrictCbor.decode(parts[0], "signed re-home request", reader -> {
            reader.beginRecord(FORMAT_VERSION, "signed re-home request");
            StrictCbor.expect(reader, SIGNED_CONTEXT);
            byte[] address = reader.text(AccountAddress.MAX_BYTES).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[][] out = {address, reader.bytes(256), reader.bytes(MAX_BYTES), reader.bytes(MAX_BYTES)};
            reader.endArray();
            return out;
        }, f -> CborRecordWriter.versioned(FORMAT_VERSION, 5, 4096).text(SIGNED_CONTEXT)
                .text(new String(f[0], java.nio.charset.StandardCharsets.UTF_8)).bytes(f[1]).bytes(f[2]).bytes(f[3])
                .end().toBytes());
        String address = new String(fields[0], java.nio.charset.StandardCharsets.UTF_8);
        X509Certificate node;
        try {
            node = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(fields[3]));
            node.verify(organizationCa.getPublicKey());
            node.checkValidity(new Date());
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(node.getPublicKey());
            verifier.update(parts[0]);
            if (!verifier.verify(parts[1])) {
                throw new AccountException(AccountException.Reason.BAD_SIGNATURE,
                        "the re-home request is not signed by the node certificate it carries");
            }
        } catch (GeneralSecurityException e) {
            throw new AccountException(AccountException.Reason.BAD_SIGNATURE, "the re-home request does not come from"
                    + " a node of this organization: " + e.getMessage(), e);
        }
        PublicKey transport;
        try {
            transport = SealedBox.decodePublicKey(fields[1]);
        } catch (CryptoException e) {
            throw new AccountException(AccountException.Reason.MALFORMED, "re-home transport key: " + e.getMessage(), e);
        }
        RecoveryEnvelope envelope = RecoveryEnvelope.decode(fields[2]);
        if (!envelope.address().equals(address)) {
            throw new AccountException(AccountException.Reason.WRONG_KEY, "re-home request for " + address
                    + " carries the envelope of " + envelope.address());
        }
        return new Request(address, transport, envelope, node);
    }

    /**
     * On the admin's machine: opens the request's envelope with the recovery key and checks that the keys inside are
     * the ones the organization's user CA ({@code userCa}) certified for the address. Expiry is not checked: a
     * certificate that expired while the user had no home is renewed by the new home for the same keys.
     */
    public static KeyVault.Entry recover(Request request, KeyPair recoveryKey, PublicKey userCa)
            throws AccountException {
        KeyVault.Entry entry = request.envelope().open(recoveryKey);
        org.epost.overlay.past.block.BlockVerifier verifier = new org.epost.overlay.past.block.BlockVerifier(userCa,
                () -> 0L, org.epost.overlay.past.block.BlockLimits.DEFAULT, 0);
        org.epost.overlay.past.block.Verification verification = verifier.verify(entry.certificate(),
                UserCertificate.keyFor(request.address()));
        if (!verification.isValid()) {
            throw new AccountException(AccountException.Reason.BAD_SIGNATURE, "the certificate sealed for "
                    + request.address() + " is not the user CA's: " + verification.reason().orElseThrow());
        }
        UserCertificate certificate = UserCertificate.parse(
                (org.epost.overlay.past.block.CertificateBlock) verification.block());
        if (!entry.keys().matches(certificate)) {
            throw new AccountException(AccountException.Reason.WRONG_KEY, "the keys sealed for " + request.address()
                    + " are not the certified ones");
        }
        return entry;
    }

    /** The admin's answer: {@code entry} sealed to the request's transport key. */
    public static byte[] sealKeys(Request request, KeyVault.Entry entry) {
        byte[] record = KeyVault.encodeEntry(request.address(), entry);
        try {
            byte[] box = SealedBox.seal(request.transportKey(), record, "rehome/" + request.address());
            return CborRecordWriter.versioned(FORMAT_VERSION, 4, box.length + 128).text(KEYS_CONTEXT)
                    .text(request.address()).bytes(Hashes.sha256(request.transportKey().getEncoded())).bytes(box).end()
                    .toBytes();
        } finally {
            Arrays.fill(record, (byte) 0);
        }
    }

    /** Opens sealed keys for {@code address} with the new home's transport key. */
    public static KeyVault.Entry openKeys(byte[] encoded, String address, KeyPair transport) throws AccountException {
        String normalized = AccountAddress.normalize(address);
        byte[][] fields = StrictCbor.decode(encoded, "re-home keys", reader -> {
            reader.beginRecord(FORMAT_VERSION, "re-home keys");
            StrictCbor.expect(reader, KEYS_CONTEXT);
            byte[][] out = {reader.text(AccountAddress.MAX_BYTES).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                reader.exactBytes("transport key id", 32), reader.bytes(MAX_BYTES)};
            reader.endArray();
            return out;
        }, f -> CborRecordWriter.versioned(FORMAT_VERSION, 4, f[2].length + 128).text(KEYS_CONTEXT)
                .text(new String(f[0], java.nio.charset.StandardCharsets.UTF_8)).bytes(f[1]).bytes(f[2]).end()
                .toBytes());
        String named = new String(fields[0], java.nio.charset.StandardCharsets.UTF_8);
        if (!named.equals(normalized)) {
            throw new AccountException(AccountException.Reason.WRONG_KEY, "these are the keys of " + named + ", not "
                    + normalized);
        }
        if (!MessageDigest.isEqual(fields[1], Hashes.sha256(transport.getPublic().getEncoded()))) {
            throw new AccountException(AccountException.Reason.WRONG_KEY, "the keys are sealed to another re-home"
                    + " request of this peer (or another peer's): request again and seal to the new request");
        }
        byte[] record;
        try {
            record = SealedBox.open(transport, fields[2], "rehome/" + normalized);
        } catch (CryptoException e) {
            throw new AccountException(AccountException.Reason.BAD_SIGNATURE, "the sealed keys of " + normalized
                    + " do not open (tampered)", e);
        }
        try {
            return KeyVault.decodeEntry(normalized, record);
        } catch (FormatException e) {
            throw new AccountException(AccountException.Reason.MALFORMED, "the sealed key vault entry of " + normalized
                    + " does not decode: " + e.getMessage(), e);
        } finally {
            Arrays.fill(record, (byte) 0);
        }
    }
}

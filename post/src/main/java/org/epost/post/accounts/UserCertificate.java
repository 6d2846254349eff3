package org.epost.post.accounts;

import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.CertificateBlock;
import org.epost.overlay.past.block.Verification;
import org.epost.overlay.time.Clock;
import org.epost.post.crypto.CryptoException;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;

/**
 * A user certificate: the PAST {@link CertificateBlock} named {@code "user:" + address} (handle = H(name)) binding
 * the address to exactly two X.509-encoded keys, in this order: the Ed25519 signing key (44 bytes), then the X25519
 * encryption key (44 bytes); signed by the organization's user CA; valid until {@code notAfter}.
 *
 * <p>The CA signature, handle and expiry are checked by the overlay's {@link BlockVerifier} (the same code every PAST
 * node runs); this class adds the accounts layer's structure: the name prefix, a normalized address, exactly two keys
 * of the right algorithms in canonical encoding.
 */
public final class UserCertificate {
    private final String address;
    private final PublicKey signingKey;
    private final PublicKey encryptionKey;
    private final CertificateBlock block;

    private UserCertificate(String address, PublicKey signingKey, PublicKey encryptionKey, CertificateBlock block) {
        this.address = address;
        this.signingKey = signingKey;
        this.encryptionKey = encryptionKey;
        this.block = block;
    }

    /** Signs a certificate with the user CA's private key (used by {@link OrganizationUserAuthority}). */
    static UserCertificate issue(java.security.PrivateKey userCaKey, String address, PublicKey signingKey,
                                 PublicKey encryptionKey, long notAfterMillis) {
        String normalized = AccountAddress.normalize(address);
        if (!normalized.equals(address)) {
            throw new IllegalArgumentException("Certify normalized addresses only: " + address);
        }
        CertificateBlock block = CertificateBlock.issue(userCaKey, AccountAddress.certificateName(normalized),
                List.of(signingKey.getEncoded(), encryptionKey.getEncoded()), notAfterMillis);
        try {
            return parse(block);
        } catch (AccountException e) {
            throw new IllegalArgumentException("Not certifiable keys: " + e.getMessage(), e);
        }
    }

    /** Where the certificate of {@code address} is stored. */
    public static BlockKey keyFor(String address) {
        return new BlockKey(CertificateBlock.handleFor(AccountAddress.certificateName(AccountAddress.normalize(address))),
                BlockKind.CERTIFICATE);
    }

    /**
     * Verifies {@code block} as the certificate of {@code address}: canonical certificate block at the address's
     * handle, signed by {@code userCa}, not expired at {@code clock.now()} beyond {@code clockSkewMillis}, and of the
     * user-certificate structure.
     */
    public static UserCertificate verify(Block block, String address, PublicKey userCa, Clock clock,
                                         long clockSkewMillis) throws AccountException {
        return verify(block, address, new BlockVerifier(userCa, clock, BlockLimits.DEFAULT, clockSkewMillis));
    }

    /**
     * As {@link #verify(Block, String, PublicKey, Clock, long)} with a verifier of the user CA kept by the caller,
     * which remembers the signatures it found valid: a certificate checked on every delivery is verified once.
     */
    public static UserCertificate verify(Block block, String address, BlockVerifier verifier)
            throws AccountException {
        return verify(block.encoded(), address, verifier);
    }

    /** As {@link #verify(Block, String, BlockVerifier)} for a certificate block's bytes. */
    static UserCertificate verify(byte[] encoded, String address, BlockVerifier verifier) throws AccountException {
        BlockKey expected = keyFor(address);
        Verification verification = verifier.verify(encoded, expected);
        if (!verification.isValid()) {
            throw new AccountException(AccountException.fromRejection(verification.reason().orElseThrow()),
                    "certificate of " + address + " rejected: " + verification.reason().orElseThrow() + " ("
                            + verification.detail() + ")");
        }
        return parse((CertificateBlock) verification.block());
    }

    /** The accounts structure of a certificate block, without checking its signature (see {@link #verify}). */
    static UserCertificate parse(CertificateBlock block) throws AccountException {
        String name = block.name();
        if (!name.startsWith(AccountAddress.CERTIFICATE_PREFIX)) {
            throw new AccountException(AccountException.Reason.MALFORMED, "not a user certificate: " + name);
        }
        String address = name.substring(AccountAddress.CERTIFICATE_PREFIX.length());
        if (!AccountAddress.isNormalized(address)) {
            throw new AccountException(AccountException.Reason.MALFORMED, "not a normalized address: " + address);
        }
        List<byte[]> keys = block.publicKeys();
        if (keys.size() != 2) {
            throw new AccountException(AccountException.Reason.MALFORMED,
                    "a user certificate binds 2 keys, not " + keys.size());
        }
        try {
            return new UserCertificate(address, Signatures.decodePublicKey(keys.get(0)),
                    SealedBox.decodePublicKey(keys.get(1)), block);
        } catch (CryptoException e) {
            throw new AccountException(AccountException.Reason.MALFORMED, "certified key: " + e.getMessage(), e);
        }
    }

    /** This certificate, unless {@code revocations} (null: none enforced) revokes its signing key. */
    UserCertificate requireNotRevoked(org.epost.overlay.security.Revocations revocations) throws AccountException {
        if (revocations != null && revocations.userKeyRevoked(signingKey)) {
            throw new AccountException(AccountException.Reason.REVOKED, "the certificate of " + address
                    + " is revoked by the organization (" + revocations.current().orElseThrow() + ")");
        }
        return this;
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

    public long notAfter() {
        return block.notAfter();
    }

    public CertificateBlock block() {
        return block;
    }

    /** Same address, keys and expiry (and therefore, the CA being deterministic Ed25519, the same block). */
    @Override
    public boolean equals(Object o) {
        return o instanceof UserCertificate other && java.util.Arrays.equals(block.encoded(), other.block.encoded());
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, signingKey, notAfter());
    }

    @Override
    public String toString() {
        return "UserCertificate(" + address + ", notAfter " + notAfter() + ")";
    }
}

package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.post.RecordEncodings;
import org.epost.post.crypto.Signatures;
import org.junit.jupiter.api.Test;

/** The certification request's codec and self-signature, and what a requesting peer accepts as its certificate. */
class CertificationRequestTest {
    private static final String BOB = "bob@example.org";
    private static final long CREATED = 1_700_000_000_000L;
    private static final long YEAR = 365 * 86_400_000L;

    private final AtomicLong now = new AtomicLong(CREATED);
    private final OrganizationUserAuthority userCa = OrganizationUserAuthority.of(Signatures.generateKeyPair());
    private final BlockVerifier verifier = new BlockVerifier(userCa.publicKey(), now::get, BlockLimits.DEFAULT, 60_000);
    private final UserKeys keys = UserKeys.generate();
    private final CertificationRequest request = CertificationRequest.sign("Bob@Example.org", keys, CREATED);

    @Test
    void aRequestDecodesToTheSameAddressKeysAndDateAndIsCertifiedForExactlyThem() throws Exception {
        CertificationRequest decoded = CertificationRequest.decode(request.encoded());

        assertThat(decoded).isEqualTo(request);
        assertThat(decoded.address()).isEqualTo(BOB);
        assertThat(decoded.signingKey()).isEqualTo(keys.signingPublicKey());
        assertThat(decoded.encryptionKey()).isEqualTo(keys.encryptionPublicKey());
        assertThat(decoded.createdMillis()).isEqualTo(CREATED);
        UserCertificate certificate = decoded.certify(userCa, CREATED + YEAR);
        UserCertificate accepted = CertificationRequest.acceptCertificate(certificate.block().encoded(), BOB, keys,
                verifier);
        assertThat(accepted).isEqualTo(certificate);
        assertThat(keys.matches(accepted)).isTrue();
    }

    @Test
    void malformedAndNonCanonicalRequestsAreRefused() {
        for (byte[] bad : RecordEncodings.malformed(request.encoded())) {
            AccountException refused = catchThrowableOfType(() -> CertificationRequest.decode(bad),
                    AccountException.class);
            assertThat(refused).as("refused").isNotNull();
            assertThat(refused.reason()).isEqualTo(AccountException.Reason.MALFORMED);
        }
    }

    @Test
    void aRequestWhoseKeysOrAddressWereSwappedAfterSigningIsRefusedAsForged() {
        UserKeys attacker = UserKeys.generate();
        byte[] swappedKey = replace(request.encoded(), keys.encryptionPublicKey().getEncoded(),
                attacker.encryptionPublicKey().getEncoded());
        byte[] swappedAddress = replace(request.encoded(), BOB.getBytes(StandardCharsets.UTF_8),
                "eve@example.org".getBytes(StandardCharsets.UTF_8));

        for (byte[] forged : new byte[][] {swappedKey, swappedAddress}) {
            AccountException refused = catchThrowableOfType(() -> CertificationRequest.decode(forged),
                    AccountException.class);
            assertThat(refused.reason()).isEqualTo(AccountException.Reason.BAD_SIGNATURE);
            assertThat(refused.getMessage()).contains("not signed by the signing key it asks to certify");
        }
    }

    @Test
    void aCertificateForAnotherAddressIsRefused() {
        UserCertificate eves = userCa.issue("eve@example.org", keys.signingPublicKey(), keys.encryptionPublicKey(),
                CREATED + YEAR);

        AccountException refused = catchThrowableOfType(() -> CertificationRequest.acceptCertificate(
                eves.block().encoded(), BOB, keys, verifier), AccountException.class);

        assertThat(refused.getMessage()).contains("certificate of " + BOB + " rejected");
    }

    @Test
    void aCertificateOfOtherKeysThanTheVaultsIsRefused() {
        UserKeys other = UserKeys.generate();
        UserCertificate ofOtherKeys = CertificationRequest.sign(BOB, other, CREATED).certify(userCa, CREATED + YEAR);

        AccountException refused = catchThrowableOfType(() -> CertificationRequest.acceptCertificate(
                ofOtherKeys.block().encoded(), BOB, keys, verifier), AccountException.class);

        assertThat(refused.reason()).isEqualTo(AccountException.Reason.WRONG_KEY);
        assertThat(refused.getMessage()).contains("other keys than the ones this peer made");
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        OrganizationUserAuthority stranger = OrganizationUserAuthority.of(Signatures.generateKeyPair());
        UserCertificate foreign = request.certify(stranger, CREATED + YEAR);

        AccountException refused = catchThrowableOfType(() -> CertificationRequest.acceptCertificate(
                foreign.block().encoded(), BOB, keys, verifier), AccountException.class);

        assertThat(refused.reason()).isEqualTo(AccountException.Reason.BAD_SIGNATURE);
    }

    @Test
    void anExpiredCertificateIsRefused() {
        UserCertificate shortLived = request.certify(userCa, CREATED + 1_000);
        now.set(CREATED + 3_600_000);

        AccountException refused = catchThrowableOfType(() -> CertificationRequest.acceptCertificate(
                shortLived.block().encoded(), BOB, keys, verifier), AccountException.class);

        assertThat(refused.reason()).isEqualTo(AccountException.Reason.EXPIRED);
    }

    private static byte[] replace(byte[] in, byte[] what, byte[] with) {
        assertThat(with).hasSameSizeAs(what);
        byte[] out = in.clone();
        for (int i = 0; i + what.length <= out.length; i++) {
            if (java.util.Arrays.equals(out, i, i + what.length, what, 0, what.length)) {
                System.arraycopy(with, 0, out, i, with.length);
                return out;
            }
        }
        throw new AssertionError("not found");
    }
}

package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;

import org.epost.overlay.security.NodeCredentials;
import org.epost.overlay.security.OrganizationAuthority;
import org.epost.post.RecordEncodings;
import org.epost.post.crypto.SealedBox;
import org.epost.post.crypto.Signatures;
import org.junit.jupiter.api.Test;

/** The keys' way from the admin's offline recovery key to the new home peer that asked for them, and nowhere else. */
class RehomeTransferTest {
    private static final String BOB = "bob@example.org";
    private static final Instant NOT_BEFORE = Instant.now().minus(Duration.ofHours(1));

    private final OrganizationAuthority organization = OrganizationAuthority.create("Example", NOT_BEFORE,
            Duration.ofDays(30));
    private final NodeCredentials newHome = organization.issueNodeCredentials("peer3", NOT_BEFORE, Duration.ofDays(30));
    private final OrganizationUserAuthority userCa = OrganizationUserAuthority.of(Signatures.generateKeyPair());
    private final UserKeys keys = UserKeys.generate();
    private final UserCertificate certificate = userCa.issue(BOB, keys.signingPublicKey(), keys.encryptionPublicKey(),
            2_000_000_000_000L);
    private final KeyPair recovery = SealedBox.generateKeyPair();
    private final RecoveryEnvelope envelope = RecoveryEnvelope.seal(BOB,
            new KeyVault.Entry(keys, certificate.block().encoded(), 4), recovery.getPublic());
    private final KeyPair transport = SealedBox.generateKeyPair();

    private byte[] request() {
        return RehomeTransfer.request(envelope, transport.getPublic(), newHome.certificate(), newHome.privateKey());
    }

    @Test
    void theKeysReachTheRequestingPeerThroughTheAdminsRecoveryKey() throws Exception {
        RehomeTransfer.Request verified = RehomeTransfer.verifyRequest(request(), organization.certificate());
        KeyVault.Entry recovered = RehomeTransfer.recover(verified, recovery, userCa.publicKey());
        byte[] sealed = RehomeTransfer.sealKeys(verified, recovered);

        KeyVault.Entry opened = RehomeTransfer.openKeys(sealed, BOB, transport);

        assertThat(verified.address()).isEqualTo(BOB);
        assertThat(verified.nodeCertificate()).isEqualTo(newHome.certificate());
        assertThat(opened.keys().matches(certificate)).isTrue();
        assertThat(opened.keys().signing().getPrivate().getEncoded())
                .isEqualTo(keys.signing().getPrivate().getEncoded());
        assertThat(opened.identityVersion()).isEqualTo(4);
    }

    @Test
    void aRequestFromANodeOfAnotherOrganizationIsRefused() {
        OrganizationAuthority other = OrganizationAuthority.create("Other", NOT_BEFORE, Duration.ofDays(30));
        NodeCredentials stranger = other.issueNodeCredentials("evil", NOT_BEFORE, Duration.ofDays(30));
        byte[] foreign = RehomeTransfer.request(envelope, transport.getPublic(), stranger.certificate(),
                stranger.privateKey());

        AccountException refused = catchThrowableOfType(() -> RehomeTransfer.verifyRequest(foreign,
                organization.certificate()), AccountException.class);

        assertThat(refused.reason()).isEqualTo(AccountException.Reason.BAD_SIGNATURE);
        assertThat(refused.getMessage()).contains("not come from a node of this organization");
    }

    @Test
    void aRequestWhoseTransportKeyWasSwappedIsRefused() {
        // the request signed with one node's certificate but another node's key (e.g. a swapped transport key
        // re-signed by a stranger): the signature does not verify against the certificate carried
        NodeCredentials otherNode = organization.issueNodeCredentials("peer4", NOT_BEFORE, Duration.ofDays(30));
        byte[] mixed = RehomeTransfer.request(envelope, SealedBox.generateKeyPair().getPublic(),
                newHome.certificate(), otherNode.privateKey());

        AccountException refused = catchThrowableOfType(() -> RehomeTransfer.verifyRequest(mixed,
                organization.certificate()), AccountException.class);

        assertThat(refused.reason()).isEqualTo(AccountException.Reason.BAD_SIGNATURE);
    }

    @Test
    void malformedRequestsAreRefused() {
        for (byte[] variant : RecordEncodings.malformed(request())) {
            AccountException refused = catchThrowableOfType(() -> RehomeTransfer.verifyRequest(variant,
                    organization.certificate()), AccountException.class);
            assertThat(refused).as("variant of %d bytes", variant.length).isNotNull();
        }
    }

    @Test
    void keysSealedToAnotherRequestOrForAnotherUserDoNotOpen() throws Exception {
        RehomeTransfer.Request verified = RehomeTransfer.verifyRequest(request(), organization.certificate());
        byte[] sealed = RehomeTransfer.sealKeys(verified, RehomeTransfer.recover(verified, recovery,
                userCa.publicKey()));

        AccountException otherTransport = catchThrowableOfType(() -> RehomeTransfer.openKeys(sealed, BOB,
                SealedBox.generateKeyPair()), AccountException.class);
        assertThat(otherTransport.reason()).isEqualTo(AccountException.Reason.WRONG_KEY);
        assertThat(otherTransport.getMessage()).contains("request again");

        AccountException otherUser = catchThrowableOfType(() -> RehomeTransfer.openKeys(sealed, "carol@example.org",
                transport), AccountException.class);
        assertThat(otherUser.reason()).isEqualTo(AccountException.Reason.WRONG_KEY);

        byte[] tampered = sealed.clone();
        tampered[tampered.length - 5] ^= 1;
        AccountException broken = catchThrowableOfType(() -> RehomeTransfer.openKeys(tampered, BOB, transport),
                AccountException.class);
        assertThat(broken.reason()).isEqualTo(AccountException.Reason.BAD_SIGNATURE);
    }

    @Test
    void keysCertifiedByAnotherUserCaAreNotRecovered() throws Exception {
        OrganizationUserAuthority otherCa = OrganizationUserAuthority.of(Signatures.generateKeyPair());
        RehomeTransfer.Request verified = RehomeTransfer.verifyRequest(request(), organization.certificate());

        AccountException refused = catchThrowableOfType(() -> RehomeTransfer.recover(verified, recovery,
                otherCa.publicKey()), AccountException.class);

        assertThat(refused.reason()).isEqualTo(AccountException.Reason.BAD_SIGNATURE);
        AccountException wrongRecovery = catchThrowableOfType(() -> RehomeTransfer.recover(verified,
                SealedBox.generateKeyPair(), userCa.publicKey()), AccountException.class);
        assertThat(wrongRecovery.reason()).isEqualTo(AccountException.Reason.WRONG_KEY);
    }
}

package org.epost.overlay.past.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.overlay.past.block.BlockFixtures.NOW;
import static org.epost.overlay.past.block.BlockFixtures.SKEW;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import org.epost.overlay.past.ManualClock;
import org.junit.jupiter.api.Test;

/** Blocks built in this process are taken as valid without a check; anything decoded from bytes never is. */
class OwnBlocksTest {
    private final KeyPair ca = BlockFixtures.ed25519();
    private final BlockVerifier verifier = new BlockVerifier(ca.getPublic(), new ManualClock(NOW), BlockLimits.DEFAULT,
            SKEW);
    private final PublicKeyBlock signed = PublicKeyBlock.sign(BlockFixtures.ed25519(), "log:INBOX", 3,
            "head".getBytes(StandardCharsets.UTF_8));

    @Test
    void aBlockSignedHereIsRememberedAsVerified() {
        assertThat(verifier.rememberOwn(signed)).isTrue();
        assertThat(verifier.verifiedSignatures()).as("its signature is remembered").isEqualTo(1);

        // the node's own replica of it verifies from the memory, and still as the block it is
        Verification stored = verifier.verify(signed.encoded(), signed.key());
        assertThat(stored.isValid()).isTrue();
        assertThat(stored.block().encoded()).isEqualTo(signed.encoded());
        assertThat(verifier.verifiedSignatures()).isEqualTo(1);
    }

    @Test
    void aContentBlockBuiltHereIsItsOwnProof() {
        ContentHashBlock built = ContentHashBlock.of(new byte[] {1, 2, 3});

        assertThat(verifier.rememberOwn(built)).isTrue();
        assertThat(verifier.verifiedSignatures()).as("nothing signed to remember").isZero();
    }

    @Test
    void decodedBlocksAreNeverTakenForOwnOnes() {
        ContentHashBlock content = ContentHashBlock.of(new byte[] {4, 5, 6});
        Block decodedContent = verifier.verify(content.encoded(), content.key()).block();
        Block decodedSigned = verifier.verify(signed.encoded(), signed.key()).block();
        CertificateBlock certificate = CertificateBlock.issue(ca.getPrivate(), "carol@example.org",
                List.of(new byte[44]), NOW + 86_400_000L);

        assertThat(verifier.rememberOwn(decodedContent)).isFalse();
        assertThat(verifier.rememberOwn(decodedSigned)).isFalse();
        assertThat(verifier.rememberOwn(certificate)).as("certificates are checked, for their expiry too").isFalse();
    }

    @Test
    void aForgedCopyOfAnOwnBlockIsStillRefused() {
        verifier.rememberOwn(signed);
        byte[] forged = signed.encoded();
        forged[forged.length - 5] ^= 0x10; // inside the signature: other bytes, so nothing remembered matches

        Verification verification = verifier.verify(forged, signed.key());

        assertThat(verification.reason()).contains(RejectionReason.BAD_SIGNATURE);
    }
}

package org.epost.overlay.past.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.overlay.past.block.BlockFixtures.NOW;
import static org.epost.overlay.past.block.BlockFixtures.SKEW;
import static org.epost.overlay.past.block.ContentHashBlockTest.assertRejected;

import java.security.KeyPair;
import java.util.List;
import org.epost.overlay.past.ManualClock;
import org.junit.jupiter.api.Test;

class NewestReplicaSelectorTest {
    private final BlockVerifier verifier =
            new BlockVerifier(BlockFixtures.ed25519().getPublic(), new ManualClock(NOW), BlockLimits.DEFAULT, SKEW);
    private final NewestReplicaSelector selector = new NewestReplicaSelector(verifier);
    private final KeyPair owner = BlockFixtures.ed25519();
    private final PublicKeyBlock v3 = PublicKeyBlock.sign(owner, "identity", 3, new byte[] {3});
    private final PublicKeyBlock v5 = PublicKeyBlock.sign(owner, "identity", 5, new byte[] {5});
    private final PublicKeyBlock v5Other = PublicKeyBlock.sign(owner, "identity", 5, new byte[] {55});

    @Test
    void picksTheNewestValidReplica() {
        Verification chosen = selector.selectNewest(v5.handle(), List.of(v3.encoded(), v5.encoded(), v3.encoded()),
                NewestReplicaSelector.NO_VERSION_SEEN);

        assertThat(chosen.blockAs(PublicKeyBlock.class).orElseThrow().version()).isEqualTo(5);
    }

    @Test
    void skipsInvalidReplicas() {
        byte[] forgedV9 = PublicKeyBlock.sign(BlockFixtures.ed25519(), "identity", 9, new byte[] {9}).encoded();
        byte[] tamperedV7 = PublicKeyBlock.sign(owner, "identity", 7, new byte[] {7, 7, 7}).encoded();
        tamperedV7[tamperedV7.length - 70] ^= 0x01;

        Verification chosen = selector.selectNewest(v3.handle(),
                List.of(forgedV9, tamperedV7, v3.encoded(), new byte[] {1, 2}), 2);

        assertThat(chosen.blockAs(PublicKeyBlock.class).orElseThrow().version()).isEqualTo(3);
    }

    @Test
    void neverRollsBackBelowAVersionAlreadySeen() {
        Verification chosen = selector.selectNewest(v3.handle(), List.of(v3.encoded(), v3.encoded()), 5);

        assertRejected(chosen, RejectionReason.STALE_VERSION);
    }

    @Test
    void equalVersionIsNotARollback() {
        Verification chosen = selector.selectNewest(v5.handle(), List.of(v5.encoded()), 5);

        assertThat(chosen.isValid()).isTrue();
    }

    @Test
    void equivocationAtTheNewestVersionIsRejected() {
        Verification chosen = selector.selectNewest(v5.handle(),
                List.of(v3.encoded(), v5.encoded(), v5Other.encoded()), NewestReplicaSelector.NO_VERSION_SEEN);

        assertRejected(chosen, RejectionReason.EQUIVOCATION);
    }

    @Test
    void equivocationAtASupersededVersionDoesNotBlockTheNewest() {
        PublicKeyBlock v3Other = PublicKeyBlock.sign(owner, "identity", 3, new byte[] {33});

        Verification chosen = selector.selectNewest(v5.handle(),
                List.of(v3.encoded(), v3Other.encoded(), v5.encoded()), NewestReplicaSelector.NO_VERSION_SEEN);

        assertThat(chosen.blockAs(PublicKeyBlock.class).orElseThrow().version()).isEqualTo(5);
    }

    @Test
    void noValidReplicaGivesTheReason() {
        byte[] tampered = v5.encoded();
        tampered[tampered.length - 1] ^= 0x01;

        assertRejected(selector.selectNewest(v5.handle(), List.of(tampered), 0), RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void aContentHashBlockSquattingTheHandleIsNotAPublicKeyBlock() {
        // Anybody can build content = key || label, which hashes to the public-key block's handle.
        byte[] squat = ContentHashBlock.of(BlockFixtures.concat(owner.getPublic().getEncoded(),
                "identity".getBytes(java.nio.charset.StandardCharsets.UTF_8))).encoded();

        assertRejected(selector.selectNewest(v5.handle(), List.of(squat), 0), RejectionReason.UNEXPECTED_KIND);
        assertThat(selector.selectNewest(v5.handle(), List.of(squat, v5.encoded()), 0).isValid()).isTrue();
    }
}

package org.epost.durability.glacier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.BlockVerifier;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.security.Ed25519Keys;
import org.epost.overlay.sim.Simulation;
import org.junit.jupiter.api.Test;

class HeadVersionsTest {
    private static final int HEAD = BlockKind.PUBLIC_KEY.code();
    private final PastObjectVerifier verifier = new PastObjectVerifier(
        new BlockVerifier(Simulation.caKey(1), System::currentTimeMillis, BlockLimits.DEFAULT, 60_000));

    @Test
    void anchorsAreTheVersionsTheSearchPassesThrough() {
        assertThat(HeadVersions.anchors(0)).containsExactly(0L);
        assertThat(HeadVersions.anchors(1)).containsExactly(1L);
        assertThat(HeadVersions.anchors(13)).containsExactly(8L, 12L, 13L);
        assertThat(HeadVersions.anchors(Long.MAX_VALUE)).hasSize(63).endsWith(Long.MAX_VALUE);
        assertThatThrownBy(() -> HeadVersions.anchors(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachVersionHasItsOwnObjectHandle() {
        Id head = Id.hash("head");
        assertThat(HeadVersions.archiveHandle(head, 3)).isEqualTo(HeadVersions.archiveHandle(head, 3))
            .isNotEqualTo(HeadVersions.archiveHandle(head, 4))
            .isNotEqualTo(HeadVersions.archiveHandle(Id.hash("other"), 3))
            .isNotEqualTo(head);
    }

    @Test
    void aVersionVerifiesOnlyUnderItsOwnHandleAndSignedByItsOwner() {
        KeyPair owner = Ed25519Keys.generateKeyPair();
        PublicKeyBlock v5 = PublicKeyBlock.sign(owner, "log/INBOX", 5, "five".getBytes(StandardCharsets.UTF_8));
        Id head = v5.handle();
        assertThat(HeadVersions.claimedBy(v5.encoded())).contains(new HeadVersions.Claim(head, 5));
        assertThat(verifier.verify(HeadVersions.archiveHandle(head, 5), HEAD, v5.encoded())).isTrue();
        // An older version cannot be passed off as a newer one, nor as the head itself.
        assertThat(verifier.verify(HeadVersions.archiveHandle(head, 6), HEAD, v5.encoded())).isFalse();
        assertThat(verifier.verify(head, HEAD, v5.encoded())).isFalse();
        // Another key's block under the same label: another head, so not this head's version 5.
        PublicKeyBlock forged = PublicKeyBlock.sign(Ed25519Keys.generateKeyPair(), "log/INBOX", 5, new byte[4]);
        assertThat(verifier.verify(HeadVersions.archiveHandle(head, 5), HEAD, forged.encoded())).isFalse();
        // A broken signature.
        byte[] tampered = v5.encoded();
        tampered[tampered.length - 1] ^= 1;
        assertThat(verifier.verify(HeadVersions.archiveHandle(head, 5), HEAD, tampered)).isFalse();
        // Not a public-key block at all.
        ContentHashBlock content = ContentHashBlock.of(new byte[] {1, 2, 3});
        assertThat(HeadVersions.claimedBy(content.encoded())).isEmpty();
        assertThat(HeadVersions.claimedBy(new byte[] {(byte) 0xff})).isEmpty();
        assertThat(verifier.verify(content.handle(), BlockKind.CONTENT_HASH.code(), content.encoded())).isTrue();
        assertThat(verifier.verify(content.handle(), HEAD, content.encoded())).isFalse();
    }
}

package org.epost.overlay.past.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.overlay.past.block.BlockFixtures.NOW;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Kind codes, format versions and the unverified kind hint read from a block's envelope. */
class BlockKindTest {
    private final List<Block> blocks = List.of(
            ContentHashBlock.of(new byte[] {1, 2, 3}),
            PublicKeyBlock.sign(BlockFixtures.ed25519(), "identity", 3, new byte[] {4}),
            CertificateBlock.issue(BlockFixtures.ed25519().getPrivate(), "erin@example.org",
                    List.of(BlockFixtures.ed25519().getPublic().getEncoded()), NOW));

    @Test
    void everyKindHasItsCodeAndFormatVersion() {
        for (BlockKind kind : BlockKind.values()) {
            assertThat(BlockKind.fromCode(kind.code())).contains(kind);
            assertThat(kind.formatVersion()).isPositive();
        }
        assertThat(BlockKind.fromCode(0)).isEmpty();
        assertThat(BlockKind.fromCode(4)).isEmpty();
    }

    @Test
    void anEncodingClaimsItsKindWhateverItsFormatVersion() {
        for (Block block : blocks) {
            assertThat(BlockKind.claimedBy(block.encoded())).contains(block.kind());
            // only a hint: a version this node would refuse still names the kind
            assertThat(BlockKind.claimedBy(BlockFixtures.withFormatVersion(block.encoded(), 9))).contains(block.kind());
        }
        byte[] bigVersion = BlockFixtures.layout(BlockKind.PUBLIC_KEY, 70_000, 0).end().toBytes();
        assertThat(BlockKind.claimedBy(bigVersion)).contains(BlockKind.PUBLIC_KEY);
    }

    @Test
    void garbageClaimsNoKind() {
        byte[] unknownKind = blocks.get(0).encoded();
        unknownKind[2] = 0x07;

        assertThat(BlockKind.claimedBy(unknownKind)).isEmpty();
        assertThat(BlockKind.claimedBy(new byte[0])).isEmpty();
        assertThat(BlockKind.claimedBy(new byte[] {(byte) 0x83, 0x01})).isEmpty();
        assertThat(BlockKind.claimedBy(new byte[] {(byte) 0x82, 0x02, 0x40})).isEmpty(); // the layout before versions
        assertThat(BlockKind.claimedBy("not cbor at all".getBytes())).isEmpty();
    }
}

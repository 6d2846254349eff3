package org.epost.overlay.past.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.overlay.past.block.BlockFixtures.NOW;
import static org.epost.overlay.past.block.BlockFixtures.SKEW;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.epost.overlay.past.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * Seeded random garbage and random mutations of valid blocks, including their envelope (format version and kind):
 * never an exception, never a false accept.
 */
class BlockVerifierFuzzTest {
    private static final long SEED = 20240611L;

    private final KeyPair ca = BlockFixtures.ed25519();
    private final BlockVerifier verifier =
            new BlockVerifier(ca.getPublic(), new ManualClock(NOW), BlockLimits.DEFAULT, SKEW);
    private final List<Block> blocks = List.of(
            ContentHashBlock.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
            PublicKeyBlock.sign(BlockFixtures.ed25519(), "identity", 12, new byte[] {9, 9, 9}),
            CertificateBlock.issue(ca.getPrivate(), "dave@example.org",
                    List.of(BlockFixtures.ed25519().getPublic().getEncoded()), NOW + 1_000_000));

    @Test
    void randomBytesAreRejected() {
        Random random = new Random(SEED);
        for (int i = 0; i < 2_000; i++) {
            byte[] garbage = new byte[random.nextInt(300)];
            random.nextBytes(garbage);
            Block target = blocks.get(random.nextInt(blocks.size()));

            Verification verification = verifier.verify(garbage, target.handle());

            assertThat(verification.isValid()).as("garbage %s", Arrays.toString(garbage)).isFalse();
        }
    }

    @Test
    void everyKindWithAnyOtherOneByteFormatVersionIsMalformed() {
        for (Block block : blocks) {
            for (int version = 0; version <= 23; version++) {
                if (version == block.kind().formatVersion()) {
                    continue;
                }
                Verification verification =
                        verifier.verify(BlockFixtures.withFormatVersion(block.encoded(), version), block.key());

                assertThat(verification.reason()).as("%s as version %d", block, version)
                        .contains(RejectionReason.MALFORMED);
                assertThat(verification.detail()).contains("format version " + version);
            }
        }
    }

    @Test
    void mutatedBlocksAreRejected() {
        Random random = new Random(SEED);
        for (int i = 0; i < 3_000; i++) {
            Block target = blocks.get(random.nextInt(blocks.size()));
            byte[] mutated = mutate(target.encoded(), random);
            if (Arrays.equals(mutated, target.encoded())) {
                continue;
            }

            Verification verification = verifier.verify(mutated, target.handle());

            assertThat(verification.isValid()).as("mutation %s of %s", Arrays.toString(mutated), target).isFalse();
        }
    }

    private static byte[] mutate(byte[] encoded, Random random) {
        byte[] copy = encoded.clone();
        switch (random.nextInt(6)) {
            case 0:
                copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
                return copy;
            case 1:
                copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                return copy;
            case 2:
                return Arrays.copyOf(copy, random.nextInt(copy.length));
            case 3:
                copy[1] = (byte) random.nextInt(256); // the format version
                return copy;
            case 4:
                copy[2] = (byte) random.nextInt(256); // the kind
                return copy;
            default:
                byte[] longer = Arrays.copyOf(copy, copy.length + 1 + random.nextInt(4));
                return longer;
        }
    }
}

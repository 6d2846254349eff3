package org.epost.durability.glacier;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.BlockLimits;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.security.Ed25519Keys;
import org.epost.overlay.wire.CborRecordReader;

/**
 * How mutable heads (PAST public-key blocks) are kept in Glacier, whose fragments are immutable: every version is its
 * own Glacier object, under a handle derived from (head, version), so versions never overwrite one another and a
 * holder can neither replace a version nor pass one version off as another (the object must verify as the owner's
 * signed block of exactly that head and version, {@link PastObjectVerifier}).
 *
 * <p>The newest version is found by a search over the version's bits ({@link HeadRecovery}): it probes
 * {@code best + 2^j} for j from 62 down to 0. The versions it meets on the way to version v are v's <em>anchors</em>,
 * v with its low j bits cleared for every set bit j (at most 63 of them); those, and v, are what the root keeps
 * leased ({@link #anchors}) so that the search still reaches v after older versions expired.
 */
final class HeadVersions {
    private static final byte[] CONTEXT = "epost/glacier/head-version".getBytes(StandardCharsets.US_ASCII);

    /** A public-key block's head handle and version, as its encoding claims them (not yet verified). */
    record Claim(Id head, long version) {
    }

    private HeadVersions() {
    }

    /** The Glacier object handle of version {@code version} of the head {@code head}. */
    static Id archiveHandle(Id head, long version) {
        byte[] headBytes = head.toBytes();
        return Id.hash(ByteBuffer.allocate(CONTEXT.length + headBytes.length + Long.BYTES).put(CONTEXT).put(headBytes)
            .putLong(version).array());
    }

    /**
     * The versions the search passes through on its way to {@code version}, ending with {@code version} itself:
     * its prefixes with the low bits cleared, one per set bit, in increasing order; just 0 for version 0.
     */
    static List<Long> anchors(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("negative version " + version);
        }
        List<Long> anchors = new ArrayList<>();
        long prefix = 0;
        for (int bit = 62; bit >= 0; bit--) {
            if ((version & (1L << bit)) != 0) {
                prefix |= 1L << bit;
                anchors.add(prefix);
            }
        }
        if (anchors.isEmpty()) {
            anchors.add(0L);
        }
        return anchors;
    }

    /**
     * The head and version a public-key block's encoding names ({@code [format, kind, key, label, version, ...]}),
     * read without checking its signature: empty when it is not a readable public-key block. The caller verifies the
     * block against the head it names before trusting either.
     */
    static Optional<Claim> claimedBy(byte[] encoded) {
        try {
            CborRecordReader<IllegalArgumentException> in = new CborRecordReader<>(encoded,
                (oversized, message, cause) -> new IllegalArgumentException(message, cause));
            in.requireVersion(in.beginRecordOfAnyVersion("public-key block"), PublicKeyBlock.FORMAT_VERSION,
                "public-key block");
            if (in.number() != BlockKind.PUBLIC_KEY.code()) {
                return Optional.empty();
            }
            byte[] key = in.bytes(Ed25519Keys.PUBLIC_KEY_BYTES);
            byte[] label = in.text(BlockLimits.DEFAULT.maxLabelBytes()).getBytes(StandardCharsets.UTF_8);
            long version = in.nonNegative("version");
            // PublicKeyBlock's handle: H(x509(key) || utf8(label)); the verification that follows checks the key.
            byte[] preimage = ByteBuffer.allocate(key.length + label.length).put(key).put(label).array();
            return Optional.of(new Claim(Id.hash(preimage), version));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}

package org.epost.overlay.past.block;

import java.util.Arrays;

import org.epost.overlay.wire.CanonicalCborReader;

/**
 * Decodes untrusted bytes into a block of any kind, accepting only the canonical encoding: the decoded block must
 * re-encode to exactly the input. That closes every CBOR variant (indefinite lengths, non-minimal integers, tags)
 * without a hand-written check for each, and makes "verified" always mean "these exact bytes". Decoding checks
 * structure and bounds only; hashes and signatures are the verifier's job.
 */
final class BlockCodec {
    private BlockCodec() {
    }

    static Block decode(byte[] raw, BlockLimits limits) throws MalformedBlockException {
        if (raw.length > limits.maxEncodedBytes()) {
            throw new MalformedBlockException(RejectionReason.OVERSIZED,
                    "encoding of " + raw.length + " bytes exceeds " + limits.maxEncodedBytes());
        }
        Block block;
        try (CanonicalCborReader<MalformedBlockException> reader = new CanonicalCborReader<>(raw, MalformedBlockException.CBOR)) {
            reader.beginArray();
            long code = reader.readLong();
            BlockKind kind = BlockKind.fromCode(code)
                    .orElseThrow(() -> new MalformedBlockException("unknown block kind " + code));
            block = readFields(kind, reader, limits);
            reader.endArray();
            reader.expectEndOfInput();
        }
        if (!Arrays.equals(encodingOf(block), raw)) {
            throw new MalformedBlockException("not the canonical encoding");
        }
        return block;
    }

    private static Block readFields(BlockKind kind, CanonicalCborReader<MalformedBlockException> reader, BlockLimits limits)
            throws MalformedBlockException {
        switch (kind) {
            case CONTENT_HASH:
                return ContentHashBlock.readFields(reader, limits);
            case PUBLIC_KEY:
                return PublicKeyBlock.readFields(reader, limits);
            case CERTIFICATE:
                return CertificateBlock.readFields(reader, limits);
            default:
                throw new MalformedBlockException("unknown block kind " + kind);
        }
    }

    /** The block's own encoding, without the defensive copy of {@link Block#encoded()}. */
    private static byte[] encodingOf(Block block) {
        if (block instanceof ContentHashBlock) {
            return ((ContentHashBlock) block).encodedWithoutCopy();
        }
        if (block instanceof PublicKeyBlock) {
            return ((PublicKeyBlock) block).encodedWithoutCopy();
        }
        return ((CertificateBlock) block).encodedWithoutCopy();
    }
}

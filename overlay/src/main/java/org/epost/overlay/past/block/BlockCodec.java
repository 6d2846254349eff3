package org.epost.overlay.past.block;

import java.util.Locale;
import java.util.Optional;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * Writes and reads the envelope every block shares, {@code [formatVersion, kind, fields...]}, with the project's
 * record codec ({@link CborRecordWriter}, {@link CborRecordReader}); each kind writes and reads its own fields.
 *
 * <p>The format version comes first, as in every stored or sent structure, but is checked only once the kind is
 * known, because each kind has its own ({@link BlockKind#formatVersion()}). A block of an unknown version is
 * malformed like any other undecodable input: the verifier rejects it with {@link RejectionReason#MALFORMED} and logs
 * it.
 *
 * <p>Decoding accepts only the canonical encoding: the decoded block must re-encode to exactly the input. That
 * closes every CBOR variant (indefinite lengths, non-minimal integers, tags) without a hand-written check for each,
 * and makes "verified" always mean "these exact bytes". Decoding checks structure and bounds only; hashes and
 * signatures are the verifier's job.
 */
final class BlockCodec {
    private BlockCodec() {
    }

    /**
     * A writer positioned after the envelope of a block of {@code kind}: the record array (of {@code fields} fields
     * after the version and the kind), the kind's format version and its code.
     */
    static CborRecordWriter start(BlockKind kind, int fields, int expectedSize) {
        return CborRecordWriter.versioned(kind.formatVersion(), fields + 1, expectedSize).number(kind.code());
    }

    /** {@link BlockKind#claimedBy}: the kind code after the format version, whatever that version is. */
    static Optional<BlockKind> claimedKind(byte[] encoded) {
        try {
            CborRecordReader<MalformedBlockException> in =
                    new CborRecordReader<>(encoded, MalformedBlockException.CBOR);
            in.beginRecordOfAnyVersion("block");
            return BlockKind.fromCode(in.number());
        } catch (MalformedBlockException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Block decode(byte[] raw, BlockLimits limits) throws MalformedBlockException {
        if (raw.length > limits.maxEncodedBytes()) {
            throw new MalformedBlockException(RejectionReason.OVERSIZED,
                    "encoding of " + raw.length + " bytes exceeds " + limits.maxEncodedBytes());
        }
        return CborRecordReader.decodeCanonical(raw, "block", MalformedBlockException.CBOR,
                in -> read(in, limits), BlockCodec::encodingOf);
    }

    private static Block read(CborRecordReader<MalformedBlockException> in, BlockLimits limits)
            throws MalformedBlockException {
        long version = in.beginRecordOfAnyVersion("block");
        long code = in.number();
        BlockKind kind = BlockKind.fromCode(code).orElseThrow(() -> in.malformed("unknown block kind " + code));
        in.requireVersion(version, kind.formatVersion(), name(kind));
        Block block = switch (kind) {
            case CONTENT_HASH -> ContentHashBlock.readFields(in, limits);
            case PUBLIC_KEY -> PublicKeyBlock.readFields(in, limits);
            case CERTIFICATE -> CertificateBlock.readFields(in, limits);
        };
        in.endArray();
        return block;
    }

    /** How messages name a kind's blocks: "content-hash block". */
    static String name(BlockKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + " block";
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

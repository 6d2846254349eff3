package org.epost.overlay.past.block;

import java.util.Objects;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborRecordReader;

/**
 * An immutable block named by the hash of its content. Encoding: CBOR record {@code [formatVersion 1, kind 1,
 * content: bstr]} ({@link BlockCodec}).
 *
 * <p>The handle is {@code Id.hash(content)} (the content bytes alone, not the encoding), so that the secure
 * single-copy store of DESIGN.md section 5 can compute it as H(ciphertext), from the ciphertext alone and equally for
 * every writer of the same part. The format version is therefore the one field the handle does not cover, and it
 * needs no cover: it says how the content is framed, never what the content means (PAST never interprets content;
 * the structures inside carry their own versions), and version 1 is the only one accepted, so a block relabelled
 * with another version is refused as malformed. The rule for a later version: it must derive its handles in a
 * domain of its own (for instance H(tag || content)), so that no handle can verify under two versions.
 */
public final class ContentHashBlock implements Block {
    /** The format version of content-hash blocks ({@link BlockKind#formatVersion()}). */
    public static final int FORMAT_VERSION = 1;

    private final Id handle;
    private final byte[] content;
    private final byte[] encoded;
    /** Made by {@link #of} in this process, not decoded from bytes: its handle is its content's hash already. */
    private final boolean builtHere;

    private ContentHashBlock(byte[] content, boolean builtHere) {
        this.builtHere = builtHere;
        this.content = content;
        this.handle = handleFor(content);
        this.encoded = BlockCodec.start(BlockKind.CONTENT_HASH, 1, content.length + 16).bytes(content).end().toBytes();
    }

    /** A block of {@code content}, at most {@link BlockLimits#DEFAULT_MAX_CONTENT_BYTES}. */
    public static ContentHashBlock of(byte[] content) {
        return of(content, BlockLimits.DEFAULT);
    }

    /** A block of {@code content}; larger than the limit is an {@link IllegalArgumentException}. */
    public static ContentHashBlock of(byte[] content, BlockLimits limits) {
        Objects.requireNonNull(content, "content");
        if (content.length > limits.maxContentBytes()) {
            throw new IllegalArgumentException("Content of " + content.length + " bytes exceeds the block limit of "
                    + limits.maxContentBytes() + "; split it into chunks");
        }
        return new ContentHashBlock(content.clone(), true);
    }

    public static Id handleFor(byte[] content) {
        return Id.hash(content);
    }

    /** Reads the fields after the envelope; the caller checks the array end and canonical form. */
    static ContentHashBlock readFields(CborRecordReader<MalformedBlockException> in, BlockLimits limits)
            throws MalformedBlockException {
        return new ContentHashBlock(in.bytes(limits.maxContentBytes()), false);
    }

    @Override
    public Id handle() {
        return handle;
    }

    @Override
    public BlockKind kind() {
        return BlockKind.CONTENT_HASH;
    }

    public byte[] content() {
        return content.clone();
    }

    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public int encodedLength() {
        return encoded.length;
    }

    boolean builtHere() {
        return builtHere;
    }

    byte[] encodedWithoutCopy() {
        return encoded;
    }

    @Override
    public String toString() {
        return "ContentHashBlock" + handle + "(" + content.length + " bytes)";
    }
}

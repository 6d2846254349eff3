package org.epost.overlay.past.block;

import java.util.Objects;
import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CanonicalCborWriter;

/**
 * An immutable block named by the hash of its content. Encoding: CBOR array {@code [1, content: bstr]}.
 * The handle is {@code Id.hash(content)} (the content bytes alone, not the encoding), so that the secure single-copy
 * store of DESIGN.md section 5 can compute it as H(ciphertext).
 */
public final class ContentHashBlock implements Block {
    private final Id handle;
    private final byte[] content;
    private final byte[] encoded;

    private ContentHashBlock(byte[] content) {
        this.content = content;
        this.handle = handleFor(content);
        this.encoded = new CanonicalCborWriter(content.length + 16)
                .startArray(2).number(BlockKind.CONTENT_HASH.code()).bytes(content).endArray()
                .toBytes();
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
        return new ContentHashBlock(content.clone());
    }

    public static Id handleFor(byte[] content) {
        return Id.hash(content);
    }

    /** Reads the fields after the kind tag; the caller checks the array end and canonical form. */
    static ContentHashBlock readFields(CanonicalCborReader<MalformedBlockException> reader, BlockLimits limits) throws MalformedBlockException {
        return new ContentHashBlock(reader.readBytes(limits.maxContentBytes()));
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

    byte[] encodedWithoutCopy() {
        return encoded;
    }

    @Override
    public String toString() {
        return "ContentHashBlock" + handle + "(" + content.length + " bytes)";
    }
}

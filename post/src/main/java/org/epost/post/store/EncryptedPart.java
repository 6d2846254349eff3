package org.epost.post.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.epost.overlay.past.block.ContentHashBlock;

/**
 * A part after encryption, before storage: its reference and the blocks that hold it. Chunk blocks are built on
 * demand from the part's ciphertext, so storing never holds more of them than it has in flight.
 */
public final class EncryptedPart {
    private final PartReference reference;
    private final ContentHashBlock top;
    /** MANIFEST layout: the part's whole ciphertext and the manifest it is cut by; null for SINGLE. */
    private final byte[] ciphertext;
    private final Manifest manifest;
    private final long[] offsets;

    private EncryptedPart(PartReference reference, ContentHashBlock top, byte[] ciphertext, Manifest manifest) {
        this.reference = reference;
        this.top = top;
        this.ciphertext = ciphertext;
        this.manifest = manifest;
        this.offsets = manifest == null ? new long[0] : offsets(manifest);
    }

    static EncryptedPart single(PartReference reference, ContentHashBlock block) {
        return new EncryptedPart(reference, block, null, null);
    }

    static EncryptedPart chunked(PartReference reference, ContentHashBlock manifestBlock, byte[] ciphertext,
                                 Manifest manifest) {
        return new EncryptedPart(reference, manifestBlock, ciphertext, manifest);
    }

    static long[] offsets(Manifest manifest) {
        long[] offsets = new long[manifest.chunks().size()];
        long offset = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = offset;
            offset += manifest.chunks().get(i).length();
        }
        return offsets;
    }

    public PartReference reference() {
        return reference;
    }

    /** The block the reference names: the whole ciphertext (SINGLE) or the encrypted manifest. */
    public ContentHashBlock topBlock() {
        return top;
    }

    public int chunkCount() {
        return offsets.length;
    }

    /** The {@code index}-th chunk block (a fresh block each call). */
    public ContentHashBlock chunk(int index) {
        int from = (int) offsets[index];
        ContentHashBlock block = ContentHashBlock.of(
            Arrays.copyOfRange(ciphertext, from, from + manifest.chunks().get(index).length()));
        if (!block.handle().equals(manifest.chunks().get(index).handle())) {
            throw new IllegalStateException("chunk " + index + " does not match its manifest entry");
        }
        return block;
    }

    /** Every block: the chunks in order, then the top block. Materializes them all; for tools and tests. */
    public List<ContentHashBlock> blocks() {
        List<ContentHashBlock> blocks = new ArrayList<>();
        for (int i = 0; i < chunkCount(); i++) {
            blocks.add(chunk(i));
        }
        blocks.add(top);
        return blocks;
    }
}

package org.epost.post.log;

import java.util.ArrayList;
import java.util.List;

import org.epost.overlay.id.Id;

/**
 * The root block of a snapshot: the materialized state after the first {@code recordCount} records.
 *
 * <p>Plaintext layout (sealed by {@link LogCipher} as a SNAPSHOT block): {@code recordCount u64 | digest (32) |
 * stateLength u32 | stateHash (32, SHA-256 of the state) | mode u8}, then for mode 0 the state inline, for mode 1
 * {@code chunkCount u32 | chunkCount x 20-byte handles} of SNAPSHOT_CHUNK blocks whose plaintexts concatenate to the
 * state (for states above one block).
 */
record SnapshotRoot(long recordCount, byte[] digest, long stateLength, byte[] stateHash, byte[] inlineState,
                    List<Id> chunks) {

    byte[] encode() {
        Bin.Writer out = new Bin.Writer(128 + (inlineState == null ? 0 : inlineState.length) + chunks.size() * Id.BYTES)
            .u64(recordCount).raw(digest).u32(stateLength).raw(stateHash);
        if (inlineState != null) {
            return out.u8(0).raw(inlineState).toBytes();
        }
        out.u8(1).u32(chunks.size());
        for (Id chunk : chunks) {
            out.raw(chunk.toBytes());
        }
        return out.toBytes();
    }

    static SnapshotRoot decode(byte[] plaintext) throws Bin.FormatException {
        Bin.Reader in = new Bin.Reader(plaintext);
        long count = in.nonNegative64("record count");
        byte[] digest = in.raw(LogDigest.BYTES);
        long length = in.u32();
        byte[] hash = in.raw(32);
        int mode = in.u8();
        if (mode == 0) {
            byte[] state = in.raw(length);
            in.end();
            return new SnapshotRoot(count, digest, length, hash, state, List.of());
        }
        if (mode != 1) {
            throw new Bin.FormatException("bad snapshot mode " + mode);
        }
        long n = in.u32();
        if (n == 0 || n > in.remaining() / Id.BYTES) {
            throw new Bin.FormatException("bad chunk count " + n);
        }
        List<Id> chunks = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            chunks.add(Id.of(in.raw(Id.BYTES)));
        }
        in.end();
        return new SnapshotRoot(count, digest, length, hash, null, chunks);
    }
}

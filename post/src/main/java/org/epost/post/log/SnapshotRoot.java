package org.epost.post.log;

import java.util.List;

import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The root block of a snapshot: the materialized state after the first {@code recordCount} records.
 *
 * <p>Plaintext, canonical CBOR (sealed by {@link LogCipher} as a SNAPSHOT block): {@code [version 1, recordCount: uint,
 * digest: bstr(32), stateLength: uint (at most 2^32 - 1), stateHash: bstr(32) (SHA-256 of the state), mode: 0 or 1,
 * then for mode 0 the state inline: bstr(stateLength), for mode 1 the handles of the SNAPSHOT_CHUNK blocks whose
 * plaintexts concatenate to the state (for states above one block): [bstr(20), ...] (at least one)]}.
 */
record SnapshotRoot(long recordCount, byte[] digest, long stateLength, byte[] stateHash, byte[] inlineState,
                    List<Id> chunks) {
    static final int VERSION = 1;
    /**
     * Longest encoding of everything but the inline state or the chunk handles: array and version (2), recordCount
     * (9), digest (2 + 32), stateLength (5), stateHash (2 + 32), mode (1), the state's or chunk list's header (5).
     */
    static final int FIXED_BYTES = 2 + 9 + 2 + LogDigest.BYTES + 5 + 2 + 32 + 1 + 5;
    private static final long MAX_STATE_LENGTH = 0xFFFFFFFFL;

    byte[] encode() {
        CborRecordWriter out = CborRecordWriter.versioned(VERSION, 6, FIXED_BYTES
                + (inlineState == null ? chunks.size() * (2 + Id.BYTES) : inlineState.length))
            .number(recordCount).bytes(digest).number(stateLength).bytes(stateHash);
        if (inlineState != null) {
            return out.number(0).bytes(inlineState).end().toBytes();
        }
        return out.number(1).list(chunks, chunk -> out.bytes(chunk.toBytes())).end().toBytes();
    }

    static SnapshotRoot decode(byte[] plaintext) throws LogFormatException {
        return CborRecordReader.decodeCanonical(plaintext, "snapshot root", LogFormatException.FAILURES, in -> {
            in.beginRecord(VERSION, "snapshot root");
            long count = in.nonNegative("record count");
            byte[] digest = in.exactBytes("digest", LogDigest.BYTES);
            long length = in.nonNegative("state length");
            if (length > MAX_STATE_LENGTH) {
                throw in.oversized("state of " + length + " bytes");
            }
            byte[] hash = in.exactBytes("state hash", 32);
            int mode = in.bounded("snapshot mode", 1);
            if (mode == 0) {
                byte[] state = in.bytes(Integer.MAX_VALUE);
                in.endArray();
                if (state.length != length) {
                    throw in.malformed("inline state of " + state.length + " bytes, announced " + length);
                }
                return new SnapshotRoot(count, digest, length, hash, state, List.of());
            }
            List<Id> chunks = in.list(chunk -> Id.of(chunk.exactBytes("chunk handle", Id.BYTES)));
            in.endArray();
            if (chunks.isEmpty()) {
                throw in.malformed("a chunked snapshot without chunks");
            }
            return new SnapshotRoot(count, digest, length, hash, null, chunks);
        }, SnapshotRoot::encode);
    }
}

package org.epost.overlay.past.store;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The one record a {@link RocksDbBlockStore} keeps about itself: the bytes it accounts for against its quota,
 * rewritten in the same batch as every change, so the quota is exact after a restart without a scan.
 *
 * <p>On disk: canonical CBOR (the project's record convention, {@link CborRecordWriter}) {@code [version 1,
 * usedBytes: uint]}. It is read whenever a store is opened, so its version also stands for the store's layout as a
 * whole: the column families and the key layouts of {@link StoreKeys}, which cannot carry a version of their own
 * (they must sort as raw bytes). A change to either bumps {@link #FORMAT_VERSION}. A store of another version, or
 * one written before stores had versions (an 8-byte big-endian counter), is refused when opened instead of being
 * misread; it is recreated.
 */
final class UsageRecord {
    static final int FORMAT_VERSION = 1;
    /** Longest encoding: array and format version (2), a 64-bit integer (9). */
    static final int MAX_ENCODED_BYTES = 2 + 9;
    private static final CanonicalCborReader.Failures<BlockStoreException> FAILURES =
        (oversized, message, cause) -> new BlockStoreException("Corrupt usage record: " + message);

    private UsageRecord() {
    }

    static byte[] encode(long usedBytes) {
        return CborRecordWriter.versioned(FORMAT_VERSION, 1, MAX_ENCODED_BYTES).number(usedBytes).end().toBytes();
    }

    static long decode(byte[] bytes) {
        if (bytes.length > MAX_ENCODED_BYTES) {
            throw new BlockStoreException("Corrupt usage record of " + bytes.length + " bytes");
        }
        return CborRecordReader.decodeCanonical(bytes, "usage record", FAILURES, in -> {
            in.beginRecord(FORMAT_VERSION, "usage record");
            long used = in.nonNegative("used bytes");
            in.endArray();
            return used;
        }, UsageRecord::encode);
    }
}

package org.epost.overlay.past.store;

import org.epost.overlay.wire.CanonicalCborReader;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * What a store keeps beside a block's bytes. Kept apart from the bytes so that a lease refresh rewrites a few dozen
 * bytes, not the block.
 *
 * <p>On disk: canonical CBOR (the project's record convention, {@link CborRecordWriter}) {@code [version 1,
 * version: uint, leaseExpiry: int, notAfter: int, blockBytes: uint]}. Only this node writes these records (they never
 * arrive from the network); anything but a canonical record is treated as corruption.
 *
 * @param version     the public-key block's version; 0 for other kinds
 * @param leaseExpiry when the holder may delete it (millis)
 * @param notAfter    a certificate's expiry; {@link Long#MAX_VALUE} for other kinds
 * @param blockBytes  length of the stored block encoding
 */
record EntryMeta(long version, long leaseExpiry, long notAfter, int blockBytes) {
    static final int FORMAT_VERSION = 1;
    /** Longest encoding: array and format version (2), three 64-bit integers (9 each), the block length (5). */
    static final int MAX_ENCODED_BYTES = 2 + 3 * 9 + 5;
    private static final CanonicalCborReader.Failures<BlockStoreException> FAILURES =
        (oversized, message, cause) -> new BlockStoreException("Corrupt entry record: " + message);

    EntryMeta withLease(long newLeaseExpiry) {
        return new EntryMeta(version, newLeaseExpiry, notAfter, blockBytes);
    }

    long accountedBytes() {
        return BlockStore.accountedBytes(blockBytes);
    }

    byte[] encode() {
        return CborRecordWriter.versioned(FORMAT_VERSION, 4, MAX_ENCODED_BYTES).number(version).number(leaseExpiry)
            .number(notAfter).number(blockBytes).end().toBytes();
    }

    static EntryMeta decode(byte[] bytes) {
        if (bytes.length > MAX_ENCODED_BYTES) {
            throw new BlockStoreException("Corrupt entry record of " + bytes.length + " bytes");
        }
        return CborRecordReader.decodeCanonical(bytes, "entry record", FAILURES, in -> {
            in.beginRecord(FORMAT_VERSION, "entry record");
            EntryMeta meta = new EntryMeta(in.number(), in.number(), in.number(),
                in.bounded("block bytes", Integer.MAX_VALUE));
            in.endArray();
            return meta;
        }, EntryMeta::encode);
    }
}

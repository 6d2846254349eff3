package org.epost.overlay.past.store;

import java.nio.ByteBuffer;

/**
 * What a store keeps beside a block's bytes. Kept apart from the bytes so that a lease refresh rewrites 32 bytes,
 * not the block.
 *
 * <p>On disk: a fixed 32-byte big-endian record {@code version(8) leaseExpiry(8) notAfter(8) blockBytes(4)
 * reserved(4)}. Only this node writes these records (they never arrive from the network), so a fixed layout is
 * enough; a record of another length is treated as corruption.
 *
 * @param version     the public-key block's version; 0 for other kinds
 * @param leaseExpiry when the holder may delete it (millis)
 * @param notAfter    a certificate's expiry; {@link Long#MAX_VALUE} for other kinds
 * @param blockBytes  length of the stored block encoding
 */
record EntryMeta(long version, long leaseExpiry, long notAfter, int blockBytes) {
    static final int ENCODED_BYTES = 32;

    EntryMeta withLease(long newLeaseExpiry) {
        return new EntryMeta(version, newLeaseExpiry, notAfter, blockBytes);
    }

    long accountedBytes() {
        return BlockStore.accountedBytes(blockBytes);
    }

    byte[] encode() {
        return ByteBuffer.allocate(ENCODED_BYTES).putLong(version).putLong(leaseExpiry).putLong(notAfter)
                .putInt(blockBytes).putInt(0).array();
    }

    static EntryMeta decode(byte[] bytes) {
        if (bytes.length != ENCODED_BYTES) {
            throw new BlockStoreException("Corrupt entry record of " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new EntryMeta(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getInt());
    }
}

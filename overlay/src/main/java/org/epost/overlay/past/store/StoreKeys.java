package org.epost.overlay.past.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;

/**
 * Byte keys of the on-disk indexes. Both sort, as unsigned bytes, in the order the store iterates:
 * <ul>
 *   <li>entry key: {@code handle(20) kind(1)}: ring order of handles, then kind;</li>
 *   <li>expiry key: {@code (leaseExpiry XOR sign bit)(8, big-endian) entryKey(21)}: earliest lease first (the sign
 *       flip makes signed longs sort correctly as unsigned bytes).</li>
 * </ul>
 * Keys are raw bytes, not versioned records: they must sort as unsigned bytes, and a version would be the same
 * leading byte in every key. Their layout is part of the store's format, whose version is {@link UsageRecord}'s (read
 * when a store is opened): changing a layout here bumps {@link UsageRecord#FORMAT_VERSION}.
 */
final class StoreKeys {
    static final int ENTRY_KEY_BYTES = Id.BYTES + 1;
    static final int EXPIRY_KEY_BYTES = Long.BYTES + ENTRY_KEY_BYTES;

    private StoreKeys() {
    }

    static byte[] entryKey(BlockKey key) {
        byte[] bytes = Arrays.copyOf(key.handle().toBytes(), ENTRY_KEY_BYTES);
        bytes[Id.BYTES] = (byte) key.kind().code();
        return bytes;
    }

    /** The smallest entry key with this handle: where a range scan starts. */
    static byte[] firstEntryKeyOf(Id handle) {
        return Arrays.copyOf(handle.toBytes(), ENTRY_KEY_BYTES);
    }

    static BlockKey blockKey(byte[] entryKey) {
        if (entryKey.length != ENTRY_KEY_BYTES) {
            throw new BlockStoreException("Corrupt entry key of " + entryKey.length + " bytes");
        }
        BlockKind kind = BlockKind.fromCode(entryKey[Id.BYTES])
                .orElseThrow(() -> new BlockStoreException("Corrupt entry key: kind " + entryKey[Id.BYTES]));
        return new BlockKey(Id.of(Arrays.copyOf(entryKey, Id.BYTES)), kind);
    }

    static byte[] expiryKey(long leaseExpiry, BlockKey key) {
        return ByteBuffer.allocate(EXPIRY_KEY_BYTES).put(leaseBytes(leaseExpiry)).put(entryKey(key)).array();
    }

    /** The smallest expiry key whose lease is {@code leaseExpiry}. */
    static byte[] leaseBytes(long leaseExpiry) {
        return ByteBuffer.allocate(Long.BYTES).putLong(leaseExpiry ^ Long.MIN_VALUE).array();
    }

    static long leaseOf(byte[] expiryKey) {
        return ByteBuffer.wrap(expiryKey).getLong() ^ Long.MIN_VALUE;
    }

    static BlockKey blockKeyOfExpiryKey(byte[] expiryKey) {
        if (expiryKey.length != EXPIRY_KEY_BYTES) {
            throw new BlockStoreException("Corrupt expiry key of " + expiryKey.length + " bytes");
        }
        return blockKey(Arrays.copyOfRange(expiryKey, Long.BYTES, EXPIRY_KEY_BYTES));
    }
}

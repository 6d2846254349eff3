package org.epost.overlay.past.store;

import org.epost.overlay.past.block.BlockKey;

/** A block as a store holds it: the exact verified bytes, and the lease it is held under. */
public final class StoredBlock {
    private final BlockKey key;
    private final byte[] encoded;
    private final long version;
    private final long leaseExpiry;

    StoredBlock(BlockKey key, byte[] encoded, long version, long leaseExpiry) {
        this.key = key;
        this.encoded = encoded;
        this.version = version;
        this.leaseExpiry = leaseExpiry;
    }

    public BlockKey key() {
        return key;
    }

    /** The block's canonical encoding, as verified when it was stored. A copy. */
    public byte[] encoded() {
        return encoded.clone();
    }

    /** The version of a public-key block; 0 for other kinds. */
    public long version() {
        return version;
    }

    public long leaseExpiry() {
        return leaseExpiry;
    }

    @Override
    public String toString() {
        return "StoredBlock" + key + "(v" + version + ", " + encoded.length + " bytes, lease until " + leaseExpiry
                + ")";
    }
}

package org.epost.durability.glacier.store;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.epost.overlay.id.Id;

/**
 * Which fragment: the object's handle and the fragment's index. On disk: the handle's 20 bytes, then the index as a
 * big-endian 32-bit integer, so that a key sorts by object.
 */
public record FragmentKey(Id handle, int index) {
    static final int BYTES = Id.BYTES + 4;
    /** Copy i of an aggregate pointer of member handle is kept under index {@code POINTER_BASE + i}. */
    public static final int POINTER_BASE = 1 << 16;
    /** A small block waiting to be aggregated (the archiving root's durable obligation) is kept under this index. */
    public static final int PENDING = 1 << 20;

    public static FragmentKey pointer(Id member, int copy) {
        return new FragmentKey(member, POINTER_BASE + copy);
    }

    public static FragmentKey pending(Id member) {
        return new FragmentKey(member, PENDING);
    }

    /** Whether this key names a fragment (indexes below 256), not a pointer copy or a pending block. */
    public boolean isFragment() {
        return index < POINTER_BASE;
    }

    public boolean isPointer() {
        return index >= POINTER_BASE && index < PENDING;
    }

    public boolean isPending() {
        return index == PENDING;
    }

    public FragmentKey {
        Objects.requireNonNull(handle, "handle");
        if (index < 0) {
            throw new IllegalArgumentException("negative fragment index " + index);
        }
    }

    byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).put(handle.toBytes()).putInt(index).array();
    }

    static FragmentKey fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new FragmentStoreException("Corrupt fragment key of " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte[] id = new byte[Id.BYTES];
        buffer.get(id);
        int index = buffer.getInt();
        if (index < 0) {
            throw new FragmentStoreException("Corrupt fragment key: index " + index);
        }
        return new FragmentKey(Id.of(id), index);
    }

    @Override
    public String toString() {
        return handle + "#" + index;
    }
}

package org.epost.durability.glacier.messages;

import org.epost.overlay.api.BulkMessage;

/**
 * Hold this aggregate pointer (its canonical encoding) as copy {@code index} of {@code n} until {@code expiry}: routed
 * by an archiving root to the position of copy {@code index} of the pointer's member. Not answered: a pointer lost
 * on the way is put again at the member's next lease extension, and the other n - 1 copies serve meanwhile.
 */
public record PointerPut(byte[] pointer, int index, int n, long expiry) implements BulkMessage {
    public PointerPut {
        pointer = pointer.clone();
    }

    @Override
    public byte[] pointer() {
        return pointer.clone();
    }
}

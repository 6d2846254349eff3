package org.epost.durability.glacier.messages;

/** The pointer's canonical encoding, with its remaining lease; empty bytes when the node holds no such copy. */
public record PointerGetReply(long requestId, byte[] pointer, long expiry) implements GlacierReply {
    public PointerGetReply {
        pointer = pointer.clone();
    }

    @Override
    public byte[] pointer() {
        return pointer.clone();
    }
}

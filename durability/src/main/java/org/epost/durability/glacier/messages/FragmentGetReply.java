package org.epost.durability.glacier.messages;

/** The fragment's canonical encoding, with its remaining lease; empty bytes when the node does not hold it. */
public record FragmentGetReply(long requestId, byte[] fragment, long expiry) implements GlacierReply {
    public FragmentGetReply {
        fragment = fragment.clone();
    }

    @Override
    public byte[] fragment() {
        return fragment.clone();
    }
}

package org.epost.durability.glacier.messages;

/** STORED (held, with at least the lease asked for), FULL (over quota) or REJECTED (not a valid fragment here). */
public record FragmentPutReply(long requestId, String status) implements GlacierReply {
}

package org.epost.post.notify;

import org.epost.overlay.id.Id;

/**
 * Signatures by overlay nodes with their own node key, for statements other nodes must be able to check later and
 * cannot forge: a delegate's {@link DelegationAck}. {@link CertifiedNodeSignatures} is the real one (the node's
 * CA-certified TLS key; the credential is its certificate); a simulated ring has no certificates and supplies its own.
 */
public interface NodeSignatures {

    /** What lets another node check this node's signatures (its certificate), sent along with them. */
    byte[] credential();

    /** This node's signature over {@code data}. */
    byte[] sign(byte[] data);

    /**
     * Whether {@code signature} over {@code data} was made by the key of node {@code signer}, as {@code credential}
     * (which must itself be trusted for {@code signer}) proves. False for anything malformed.
     */
    boolean verify(Id signer, byte[] credential, byte[] data, byte[] signature);
}

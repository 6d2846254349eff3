package org.epost.post.delivery;

import java.util.Optional;

/**
 * How the James-facing code (SMTP hooks, mailets) reaches this peer's {@link PostSender}. The ePOST domains are known
 * from the configuration at once; the sender exists only once the peer's overlay node and POST services run (and
 * never on a peer without ePOST domains).
 */
public interface PostGateway {
    /**
     * The longest header section a peer takes unless {@code post.message.header.limit} lowers it: 256 KiB. A large
     * message is read as far as its header to stamp it, held in memory; no real header is anywhere near this long.
     */
    int MAX_HEADER_BYTES = 256 * 1024;

    /** Whether users of {@code domain} are ePOST users (the peer's {@code post.domains}). */
    boolean isEpostDomain(String domain);

    /** What sends mail through POST; empty while the peer starts, or without ePOST domains. */
    Optional<PostSender> sender();

    /**
     * The longest header section this peer takes for ePOST recipients ({@code post.message.header.limit}): a longer
     * one is refused ({@code 552 5.3.4}) before any 250, since the recipients' peers would refuse it.
     */
    default int maxHeaderBytes() {
        return MAX_HEADER_BYTES;
    }

    /**
     * Whether mail for {@code address} is relayed to the organization's legacy mail server (split delivery while users
     * move into ePOST: interop's route table) instead of being delivered through ePOST.
     */
    default boolean routedToLegacy(String address) {
        return false;
    }

    /**
     * For an address {@linkplain #routedToLegacy routed to the legacy server}: that server's permanent refusal of it
     * (its reply, e.g. "550 5.1.1 unknown user"), asked before the mail is accepted; empty when it takes the address,
     * cannot be asked now, or the address is not routed there.
     */
    default Optional<String> legacyRefusal(String address) {
        return Optional.empty();
    }

    /**
     * Whether {@code address} is a user of this peer that waits for its certificate (a peer without the user CA
     * key): a James user, but not an ePOST recipient yet, so RCPT refuses it as an unknown user.
     */
    default boolean awaitsCertificate(String address) {
        return false;
    }
}

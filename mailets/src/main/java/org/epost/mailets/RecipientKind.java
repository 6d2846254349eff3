package org.epost.mailets;

/** What an envelope recipient is to this peer's delivery. */
enum RecipientKind {
    /** An ePOST account (a valid certificate in the ring): delivered through ePOST. */
    EPOST,
    /** Not on an ePOST domain: James delivers it as usual. */
    NOT_EPOST,
    /** On an ePOST domain but no ePOST account: James decides (an alias, a local user, or unknown). */
    UNKNOWN,
    /** Routed to the legacy mail server (split delivery): accepted, then relayed there from the spool. */
    LEGACY,
    /** On an ePOST domain, but the ring cannot tell now (the peer is starting, the ring does not answer). */
    UNDECIDED
}

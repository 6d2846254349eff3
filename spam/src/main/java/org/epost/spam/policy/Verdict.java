package org.epost.spam.policy;

/**
 * Where the home peer appends a notified message. Blocked mail is junked, never silently dropped: only a domain whose
 * admin chose it discards mail from senders on the organization's list, and then the home peer answers a signed
 * refusal, so the sending peer bounces it to its sender.
 */
public enum Verdict {
    INBOX,
    JUNK,
    /** Refused for good (the sender's peer bounces it), counted and logged; nothing is appended. */
    DISCARD,
    /**
     * A first contact without a valid puzzle, refused for good where the recipient's peer refuses rather than junks
     * such mail: the sender's peer bounces it, nothing is appended.
     */
    REFUSE_FIRST_CONTACT
}

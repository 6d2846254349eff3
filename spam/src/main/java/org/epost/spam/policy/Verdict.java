package org.epost.spam.policy;

/** Where the home peer appends a notified message. Blocked mail is junked, never dropped. */
public enum Verdict {
    INBOX,
    JUNK
}

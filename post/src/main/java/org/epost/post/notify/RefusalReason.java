package org.epost.post.notify;

import java.util.Optional;

/**
 * Why a recipient's home peer refuses a notification for good (a negative receipt, {@link Refusal}): the sender bounces
 * the mail with this reason instead of retrying. The codes are part of the signed refusal format: add, never renumber.
 */
public enum RefusalReason {
    /** The recipient's mailbox is over its quota. */
    QUOTA(1, "5.2.2", "the recipient's mailbox is full"),
    /** The address has no mailbox on its home peer any more (user deleted). */
    UNKNOWN_USER(2, "5.1.1", "the recipient has no mailbox"),
    /** The message the notification names cannot be decoded (a malformed or inconsistent reference). */
    UNREADABLE(3, "5.6.0", "the message cannot be read"),
    /** The recipient's domain discards mail from this sender (it is on the organization's block list). */
    BLOCKED(4, "5.7.1", "the recipient's organization refuses mail from this sender"),
    /** A first contact without a valid puzzle, where the recipient's peer refuses rather than junks it (spam). */
    NO_FIRST_CONTACT_PUZZLE(5, "5.7.1", "the recipient accepts mail from a new sender only with a solved puzzle");

    private final int code;
    private final String status;
    private final String text;

    RefusalReason(int code, String status, String text) {
        this.code = code;
        this.status = status;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** The RFC 3463 enhanced status code a bounce reports. */
    public String status() {
        return status;
    }

    /** A short English description for bounces and logs. */
    public String text() {
        return text;
    }

    public static Optional<RefusalReason> ofCode(long code) {
        for (RefusalReason reason : values()) {
            if (reason.code == code) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}

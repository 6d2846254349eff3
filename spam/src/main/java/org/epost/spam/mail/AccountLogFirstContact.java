package org.epost.spam.mail;

import java.util.function.UnaryOperator;

import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.spam.policy.FirstContactChoice;

/**
 * Each user's own first-contact choice ({@link FirstContactChoice}) in their account log (extension {@value #KEY}, see
 * {@link AccountLogExtension}): it follows them when re-homed, like their lists.
 */
public final class AccountLogFirstContact {
    public static final String KEY = "spam/first-contact";

    private final AccountLogExtension<FirstContactChoice> choices;

    public AccountLogFirstContact(MailboxRegistry registry) {
        this.choices = new AccountLogExtension<>(registry, KEY, "first-contact choice",
            FirstContactChoice.PEER_DEFAULTS, FirstContactChoice.PEER_DEFAULTS::equals, FirstContactChoice::decode,
            FirstContactChoice::encode);
    }

    /** The choice of {@code user}; the peer's defaults for a user without mailboxes on this peer. */
    public FirstContactChoice of(String user) {
        return choices.of(user);
    }

    /**
     * @throws IllegalArgumentException when the user has no mailboxes on this peer
     */
    public boolean change(String user, UnaryOperator<FirstContactChoice> change) {
        return choices.change(user, change);
    }
}

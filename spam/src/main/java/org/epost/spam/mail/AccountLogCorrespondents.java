package org.epost.spam.mail;

import java.util.Objects;

import org.apache.james.core.Username;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.spam.policy.KnownCorrespondents;

/**
 * Each user's known correspondents in their account log (extension {@value #KEY}, see {@link AccountLogExtension}),
 * like the block list: encrypted, rebuilt and re-homed with the log. Only a change is written (a sender becoming
 * known), not every delivery.
 */
public final class AccountLogCorrespondents {
    public static final String KEY = "spam/correspondents";

    private final MailboxRegistry registry;
    private final AccountLogExtension<KnownCorrespondents> known;

    public AccountLogCorrespondents(MailboxRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.known = new AccountLogExtension<>(registry, KEY, "correspondents", KnownCorrespondents.EMPTY,
            correspondents -> correspondents.addresses().isEmpty(), KnownCorrespondents::decode,
            KnownCorrespondents::encode);
    }

    /** The correspondents of {@code user}; empty for a user without mailboxes on this peer. */
    public KnownCorrespondents of(String user) {
        return known.of(user);
    }

    /** Records that {@code user} exchanged mail with {@code address}; false when known already or not homed here. */
    public boolean learn(String user, String address) {
        return registry.account(Username.of(user)).isPresent() && known.change(user, old -> old.with(address));
    }
}

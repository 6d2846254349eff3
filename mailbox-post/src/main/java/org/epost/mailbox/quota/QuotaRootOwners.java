package org.epost.mailbox.quota;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.QuotaRootResolver;

/** Whose account log keeps the limits of a quota root: per-user limits live with the user's mailboxes. */
@FunctionalInterface
public interface QuotaRootOwners {

    /** @throws UnknownQuotaRootException when {@code root} does not name a user */
    Username ownerOf(QuotaRoot root) throws MailboxException;

    /** James's user quota roots ({@code #private&user@domain}), read by the resolver that makes them. */
    static QuotaRootOwners userRoots(QuotaRootResolver resolver) {
        return root -> {
            try {
                return resolver.associatedUsername(root);
            } catch (IllegalArgumentException e) {
                throw new UnknownQuotaRootException("quota root '" + root.getValue() + "' is not a user's quota root"
                    + " (#private&user@domain): only users have their own limits", e);
            }
        };
    }
}

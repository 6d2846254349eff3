package org.epost.mailbox.quota;

import java.util.List;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.QuotaRoot;
import org.epost.mailbox.model.AccountRecord;
import org.epost.mailbox.model.QuotaLimit;
import org.epost.mailbox.model.QuotaResource;
import org.epost.mailbox.storage.LoggedState;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;

/**
 * A user's own limits, recorded in their account log: as durable as their folders, rebuilt from the DHT with them,
 * and read by whichever peer holds the user's keys. A root whose user has no mailboxes on this peer is refused,
 * never silently ignored: the limits of a user homed elsewhere are set on their home peer.
 */
final class UserQuotaLimits {
    private final MailboxRegistry registry;
    private final QuotaRootOwners owners;

    UserQuotaLimits(MailboxRegistry registry, QuotaRootOwners owners) {
        this.registry = registry;
        this.owners = owners;
    }

    Optional<QuotaLimit> get(QuotaRoot root, QuotaResource resource) throws MailboxException {
        return account(root).log().read(state -> state.quotaLimit(resource));
    }

    /** Sets (or, when {@code limit} is empty, removes) the user's {@code resource} limit; no record if unchanged. */
    void set(QuotaRoot root, QuotaResource resource, Optional<QuotaLimit> limit) throws MailboxException {
        account(root).log().update(state -> {
            if (state.quotaLimit(resource).equals(limit)) {
                return LoggedState.Plan.nothing(null);
            }
            AccountRecord record = limit.isPresent() ? new AccountRecord.QuotaLimitSet(resource, limit.get())
                : new AccountRecord.QuotaLimitRemoved(resource);
            return LoggedState.Plan.of(List.of(record.toEntry()), null);
        });
    }

    private UserAccount account(QuotaRoot root) throws MailboxException {
        Username owner = owners.ownerOf(root);
        Optional<UserAccount> account = registry.account(owner);
        if (account.isEmpty()) {
            throw new UnknownQuotaRootException("quota root '" + root.getValue() + "' belongs to " + owner.asString()
                + ", who has no ePOST mailboxes on this peer: a user's limits are kept and set on their home peer");
        }
        return account.get();
    }
}

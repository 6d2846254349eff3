package org.epost.mailbox.mail;

import java.util.List;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.SubscriptionException;
import org.apache.james.mailbox.store.user.SubscriptionMapper;
import org.apache.james.mailbox.store.user.model.Subscription;
import org.epost.mailbox.model.AccountRecord;
import org.epost.mailbox.storage.LoggedState;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;

/** Subscriptions (IMAP SUBSCRIBE/LSUB) as records of the subscriber's account log; a repeated change is a no-op. */
public final class PostSubscriptionMapper implements SubscriptionMapper {
    private final MailboxRegistry registry;

    public PostSubscriptionMapper(MailboxRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void save(Subscription subscription) throws SubscriptionException {
        change(subscription, true);
    }

    @Override
    public void delete(Subscription subscription) throws SubscriptionException {
        change(subscription, false);
    }

    @Override
    public List<Subscription> findSubscriptionsForUser(Username user) throws SubscriptionException {
        Optional<UserAccount> account = registry.account(user);
        if (account.isEmpty()) {
            return List.of();
        }
        try {
            return account.get().log().read(state -> state.subscriptions().stream()
                .map(mailbox -> new Subscription(user, mailbox))
                .toList());
        } catch (MailboxException e) {
            throw new SubscriptionException(e);
        }
    }

    private void change(Subscription subscription, boolean subscribe) throws SubscriptionException {
        try {
            UserAccount account = registry.requireAccount(subscription.getUser());
            String mailbox = subscription.getMailbox();
            account.log().update(state -> {
                if (state.subscriptions().contains(mailbox) == subscribe) {
                    return LoggedState.Plan.nothing(null);
                }
                AccountRecord record = subscribe ? new AccountRecord.Subscribed(mailbox)
                    : new AccountRecord.Unsubscribed(mailbox);
                return LoggedState.Plan.of(List.of(record.toEntry()), null);
            });
        } catch (SubscriptionException e) {
            throw e;
        } catch (MailboxException e) {
            throw new SubscriptionException(e);
        }
    }
}

package org.epost.peer.spam;

import javax.inject.Singleton;

import org.apache.james.events.EventListener;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MessageIdManager;
import org.apache.james.webadmin.Routes;
import org.epost.mailbox.PostMailboxSessionMapperFactory;
import org.epost.overlay.metrics.MetricSink;
import org.epost.spam.mail.AccountLogBlockLists;
import org.epost.spam.mail.JunkLearningListener;
import org.epost.spam.policy.BlockListPolicy;
import org.epost.spam.policy.DeliveryPolicy;
import org.epost.spam.policy.SpamCounters;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The spam defences on a peer: the users' block lists in their account logs, the delivery policy the home peer
 * applies before appending a notified message (INBOX or Junk), junk learning on James's mailbox event bus, the
 * counters, the organization's list in PAST, and the WebAdmin routes of the lists.
 */
public class EpostSpamModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(OrganizationSpamList.class).in(com.google.inject.Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(EpostSpamRoutes.class);
    }

    @Provides
    @Singleton
    SpamCounters counters(MetricSink metrics) {
        return new SpamCounters(metrics);
    }

    @Provides
    @Singleton
    AccountLogBlockLists blockLists(PostMailboxSessionMapperFactory mailboxes) {
        return new AccountLogBlockLists(mailboxes.registry());
    }

    @Provides
    @Singleton
    DeliveryPolicy deliveryPolicy(AccountLogBlockLists lists, OrganizationSpamList organization,
                                  SpamCounters counters) {
        return new BlockListPolicy(lists, organization, counters);
    }

    /** James registers the listeners of this set on its event bus at start (MailboxListenersLoaderImpl). */
    @ProvidesIntoSet
    EventListener.ReactiveGroupEventListener junkLearning(MailboxManager mailboxes, MessageIdManager messageIds,
                                                          AccountLogBlockLists lists, SpamCounters counters) {
        return new JunkLearningListener(mailboxes, messageIds, lists, counters);
    }
}

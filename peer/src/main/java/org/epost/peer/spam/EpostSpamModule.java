package org.epost.peer.spam;

import java.io.FileNotFoundException;
import java.util.concurrent.CompletableFuture;

import javax.inject.Singleton;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.events.EventListener;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MessageIdManager;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.webadmin.Routes;
import org.epost.mailbox.PostMailboxSessionMapperFactory;
import org.epost.overlay.metrics.MetricSink;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.SpamListSettings;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.spam.mail.AccountListPublisher;
import org.epost.spam.mail.AccountLogBlockLists;
import org.epost.spam.mail.AccountLogFollowedLists;
import org.epost.spam.mail.JunkLearningListener;
import org.epost.spam.policy.BlockListPolicy;
import org.epost.spam.policy.DeliveryPolicy;
import org.epost.spam.policy.PublishedBlockLists;
import org.epost.spam.policy.SpamCounters;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The spam defences on a peer: the users' block lists in their account logs, the delivery policy the home peer
 * applies before appending a notified message (INBOX or Junk), junk learning on James's mailbox event bus, the
 * counters, the organization's list in PAST (with the domains that discard mail from senders on it), the lists users
 * publish and follow, and the WebAdmin routes of the lists.
 */
public class EpostSpamModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(OrganizationSpamList.class).in(com.google.inject.Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(EpostSpamRoutes.class);
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(EpostSpamListRoutes.class);
    }

    @Provides
    @Singleton
    SpamCounters counters(MetricSink metrics) {
        return new SpamCounters(metrics);
    }

    @Provides
    @Singleton
    AccountLogBlockLists blockLists(PostMailboxSessionMapperFactory mailboxes, AccountListPublisher publisher) {
        return new AccountLogBlockLists(mailboxes.registry(), publisher::republish);
    }

    @Provides
    @Singleton
    SpamListSettings listSettings(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return SpamListSettings.from(propertiesProvider.getConfiguration(EpostConfiguration.FILE_NAME));
        } catch (FileNotFoundException e) {
            return SpamListSettings.from(new BaseConfiguration());
        }
    }

    @Provides
    @Singleton
    PublishedBlockLists publishedLists(EpostConfiguration configuration, SpamListSettings settings,
                                       PostReadiness post) {
        return new PublishedBlockLists(address -> post.ifRunning().map(services -> services.accounts()
                .lookupCertificate(address)).orElseGet(() -> CompletableFuture.failedFuture(
                    new IllegalStateException("POST does not run on this peer yet"))),
            () -> post.ifRunning().map(PostServices::blocks), System::currentTimeMillis,
            new PublishedBlockLists.Settings(settings.refreshInterval().toMillis(),
                configuration.lease().lease().toMillis(), settings.maxBytes()));
    }

    @Provides
    @Singleton
    AccountLogFollowedLists followedLists(PostMailboxSessionMapperFactory mailboxes, PublishedBlockLists published) {
        return new AccountLogFollowedLists(mailboxes.registry(), published);
    }

    @Provides
    @Singleton
    AccountListPublisher listPublisher(PostMailboxSessionMapperFactory mailboxes, PublishedBlockLists published) {
        return new AccountListPublisher(mailboxes.registry(), published);
    }

    @Provides
    @Singleton
    DeliveryPolicy deliveryPolicy(AccountLogBlockLists lists, AccountLogFollowedLists followed,
                                  OrganizationSpamList organization, SpamCounters counters) {
        return new BlockListPolicy(lists, followed, organization::policy, counters);
    }

    /** James registers the listeners of this set on its event bus at start (MailboxListenersLoaderImpl). */
    @ProvidesIntoSet
    EventListener.ReactiveGroupEventListener junkLearning(MailboxManager mailboxes, MessageIdManager messageIds,
                                                          AccountLogBlockLists lists, SpamCounters counters) {
        return new JunkLearningListener(mailboxes, messageIds, lists, counters);
    }
}

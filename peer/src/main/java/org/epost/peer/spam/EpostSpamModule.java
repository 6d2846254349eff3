package org.epost.peer.spam;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import javax.inject.Named;
import javax.inject.Singleton;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.events.EventListener;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MessageIdManager;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.webadmin.Routes;
import org.epost.mailbox.PostMailboxSessionMapperFactory;
import org.epost.overlay.metrics.MetricSink;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.EpostProperties;
import org.epost.peer.config.PuzzleSettings;
import org.epost.peer.config.SpamListSettings;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.post.accounts.UserCertificate;
import org.epost.spam.mail.AccountListPublisher;
import org.epost.spam.mail.AccountLogBlockLists;
import org.epost.spam.mail.AccountLogCorrespondents;
import org.epost.spam.mail.AccountLogFirstContact;
import org.epost.spam.mail.AccountLogFollowedLists;
import org.epost.spam.mail.AccountTeamLists;
import org.epost.spam.mail.FirstContactPolicy;
import org.epost.spam.mail.FirstContactSender;
import org.epost.spam.mail.JunkLearningListener;
import org.epost.spam.policy.BlockListPolicy;
import org.epost.spam.policy.DeliveryPolicy;
import org.epost.spam.policy.FollowedBlockLists;
import org.epost.spam.policy.PublishedBlockLists;
import org.epost.spam.policy.SpamCounters;
import org.epost.spam.policy.TeamBlockLists;
import org.epost.spam.puzzle.FirstContactRate;
import org.epost.spam.puzzle.PuzzleDifficulty;
import org.epost.spam.puzzle.PuzzleVerifier;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The spam defences on a peer: the users' block lists in their account logs, the delivery policy the home peer
 * applies before appending a notified message (INBOX or Junk), junk learning on James's mailbox event bus, the
 * counters, the organization's list in PAST (with the domains that discard mail from senders on it), the lists users
 * publish and follow, the WebAdmin routes of the lists, and first-contact puzzles (checked before the block lists'
 * INBOX, attached to this peer's users' first contacts).
 */
public class EpostSpamModule extends AbstractModule {
    /** A first-contact puzzle is checked at most this long after its notification's date (delegates hold for days). */
    static final long PUZZLE_MAX_AGE_MILLIS = 7 * 86_400_000L;
    /** Senders whose first-contact rate a peer remembers, and puzzles it remembers as passed. */
    static final int PUZZLE_SENDERS = 100_000;
    static final int PUZZLES_PASSED = 200_000;

    @Override
    protected void configure() {
        bind(OrganizationSpamList.class).in(com.google.inject.Scopes.SINGLETON);
        bind(SpamExecutors.class).in(com.google.inject.Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(EpostSpamRoutes.class);
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(EpostSpamListRoutes.class);
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(EpostSpamTeamRoutes.class);
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(EpostFirstContactRoutes.class);
    }

    @Provides
    @Singleton
    SpamCounters counters(MetricSink metrics) {
        return new SpamCounters(metrics);
    }

    @Provides
    @Singleton
    AccountLogBlockLists blockLists(PostMailboxSessionMapperFactory mailboxes, AccountListPublisher publisher) {
        return new AccountLogBlockLists(mailboxes.registry(), AccountLogBlockLists.KEY, publisher::republish);
    }

    @Provides
    @Singleton
    @Named("allowed")
    AccountLogBlockLists allowLists(PostMailboxSessionMapperFactory mailboxes) {
        return new AccountLogBlockLists(mailboxes.registry(), AccountLogBlockLists.ALLOWED_KEY, user -> { });
    }

    @Provides
    @Singleton
    SpamListSettings listSettings(PropertiesProvider propertiesProvider) throws ConfigurationException {
        return SpamListSettings.from(epostProperties(propertiesProvider));
    }

    /** epost.properties, empty when absent. */
    private static Configuration epostProperties(PropertiesProvider propertiesProvider) throws ConfigurationException {
        return EpostProperties.of(propertiesProvider);
    }

    @Provides
    @Singleton
    PuzzleSettings puzzleSettings(PropertiesProvider propertiesProvider) throws ConfigurationException {
        return PuzzleSettings.from(epostProperties(propertiesProvider));
    }

    @Provides
    @Singleton
    AccountLogFirstContact firstContactChoices(PostMailboxSessionMapperFactory mailboxes) {
        return new AccountLogFirstContact(mailboxes.registry());
    }

    @Provides
    @Singleton
    IdentityPuzzleRules puzzleRules(PuzzleSettings puzzles, PostReadiness post, AccountLogFirstContact choices,
                                    PostMailboxSessionMapperFactory mailboxes, SpamExecutors executors) {
        IdentityPuzzleRules rules = new IdentityPuzzleRules(puzzles,
            () -> post.services().thenApply(PostServices::accounts), choices::of, executors.puzzleBase());
        rules.publishAllWhenRunning(mailboxes.registry());
        return rules;
    }

    @Provides
    @Singleton
    PublishedBlockLists publishedLists(PostReadiness post, PublishedBlockLists.Settings settings) {
        return new PublishedBlockLists(certificates(post), () -> post.ifRunning().map(PostServices::blocks),
            System::currentTimeMillis, settings);
    }

    @Provides
    @Singleton
    TeamBlockLists teamLists(PostReadiness post, PublishedBlockLists.Settings settings) {
        return new TeamBlockLists(certificates(post), () -> post.ifRunning().map(PostServices::blocks),
            System::currentTimeMillis, settings);
    }

    @Provides
    @Singleton
    PublishedBlockLists.Settings listFetching(EpostConfiguration configuration, SpamListSettings settings) {
        return new PublishedBlockLists.Settings(settings.refreshInterval().toMillis(),
            configuration.lease().lease().toMillis(), settings.maxBytes());
    }

    /** The verified certificate of an address, once POST runs on this peer. */
    private static Function<String, CompletableFuture<UserCertificate>> certificates(PostReadiness post) {
        return address -> post.ifRunning().map(services -> services.accounts().lookupCertificate(address))
            .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException(
                "POST does not run on this peer yet")));
    }

    @Provides
    @Singleton
    AccountLogFollowedLists followedLists(PostMailboxSessionMapperFactory mailboxes, PublishedBlockLists published) {
        return new AccountLogFollowedLists(mailboxes.registry(), published);
    }

    @Provides
    @Singleton
    @Named("teams")
    AccountLogFollowedLists followedTeams(PostMailboxSessionMapperFactory mailboxes, TeamBlockLists teams) {
        return AccountLogFollowedLists.teams(mailboxes.registry(), teams);
    }

    @Provides
    @Singleton
    AccountTeamLists teamEditing(PostMailboxSessionMapperFactory mailboxes, TeamBlockLists teams) {
        return new AccountTeamLists(mailboxes.registry(), teams);
    }

    @Provides
    @Singleton
    AccountListPublisher listPublisher(PostMailboxSessionMapperFactory mailboxes, PublishedBlockLists published) {
        return new AccountListPublisher(mailboxes.registry(), published);
    }

    @Provides
    @Singleton
    DeliveryPolicy deliveryPolicy(AccountLogBlockLists lists, @Named("allowed") AccountLogBlockLists allowed,
                                  AccountLogFollowedLists followed,
                                  @Named("teams") AccountLogFollowedLists teams,
                                  OrganizationSpamList organization, SpamCounters counters,
                                  PostMailboxSessionMapperFactory mailboxes, PostReadiness post,
                                  IdentityPuzzleRules rules, SpamExecutors executors) {
        PuzzleDifficulty difficulty = PuzzleDifficulty.defaults();
        AccountLogCorrespondents known = new AccountLogCorrespondents(mailboxes.registry());
        PostPuzzleKeys keys = new PostPuzzleKeys(post);
        FirstContactRate sent = new FirstContactRate(difficulty.windowMillis(), PUZZLE_SENDERS,
            System::currentTimeMillis);
        return new FirstContactPolicy(new BlockListPolicy(lists, allowed::of,
            FollowedBlockLists.both(followed, teams), organization::policy,
            counters), allowed::of,
            known, new PuzzleVerifier(difficulty, PUZZLE_MAX_AGE_MILLIS, PUZZLE_SENDERS, PUZZLES_PASSED,
                System::currentTimeMillis), keys, rules, counters,
            send -> new FirstContactSender(send, known, keys, difficulty, PuzzleDifficulty.MAX_PUBLISHED_BITS, sent,
                counters, executors.io(), executors.solving()));
    }


    /** James registers the listeners of this set on its event bus at start (MailboxListenersLoaderImpl). */
    @ProvidesIntoSet
    EventListener.ReactiveGroupEventListener junkLearning(MailboxManager mailboxes, MessageIdManager messageIds,
                                                          AccountLogBlockLists lists, SpamCounters counters) {
        return new JunkLearningListener(mailboxes, messageIds, lists, counters);
    }
}

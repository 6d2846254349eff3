package org.epost.mailbox;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.function.Function;

import org.apache.james.events.EventBus;
import org.apache.james.events.EventBusTestFixture;
import org.apache.james.events.InVMEventBus;
import org.apache.james.events.MemoryEventDeadLetters;
import org.apache.james.events.delivery.InVmEventDelivery;
import org.apache.james.mailbox.Authenticator;
import org.apache.james.mailbox.Authorizator;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageIdManager;
import org.apache.james.mailbox.acl.UnionMailboxACLResolver;
import org.apache.james.mailbox.extension.PreDeletionHook;
import org.apache.james.mailbox.manager.IntegrationResources;
import org.apache.james.mailbox.manager.ManagerTestProvisionner;
import org.apache.james.mailbox.model.MailboxConstants;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.quota.QuotaRootResolver;
import org.apache.james.mailbox.store.FakeAuthenticator;
import org.apache.james.mailbox.store.FakeAuthorizator;
import org.apache.james.mailbox.store.NoMailboxPathLocker;
import org.apache.james.mailbox.store.PreDeletionHooks;
import org.apache.james.mailbox.store.SessionProviderImpl;
import org.apache.james.mailbox.store.StoreAttachmentManager;
import org.apache.james.mailbox.store.StoreMailboxAnnotationManager;
import org.apache.james.mailbox.store.StoreMailboxManager;
import org.apache.james.mailbox.store.StoreMessageIdManager;
import org.apache.james.mailbox.store.StoreRightManager;
import org.apache.james.mailbox.store.event.MailboxAnnotationListener;
import org.apache.james.mailbox.store.extractor.DefaultTextExtractor;
import org.apache.james.mailbox.store.mail.NaiveThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.model.impl.MessageParser;
import org.apache.james.mailbox.store.quota.DefaultUserQuotaRootResolver;
import org.apache.james.mailbox.store.quota.ListeningCurrentQuotaUpdater;
import org.apache.james.mailbox.store.quota.QuotaComponents;
import org.apache.james.mailbox.store.quota.StoreQuotaManager;
import org.apache.james.mailbox.store.search.ListeningMessageSearchIndex;
import org.apache.james.mailbox.store.search.MessageSearchIndex;
import org.apache.james.mailbox.store.search.SimpleMessageSearchIndex;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.utils.UpdatableTickingClock;
import org.epost.mailbox.model.PostMessageId;
import org.epost.mailbox.quota.PostCurrentQuotaManager;
import org.epost.mailbox.quota.PostMaxQuotaManager;
import org.epost.mailbox.quota.QuotaRootOwners;
import org.epost.mailbox.support.InMemoryPeerQuotaLimitStore;
import org.epost.mailbox.support.TestMailboxStorage;

/**
 * A whole James mailbox stack over the ePOST backend for tests, built the way James's memory backend builds its own
 * (InMemoryIntegrationResources): James's store managers, rights, annotations, events, scanning search and quotas,
 * with {@link PostMailboxSessionMapperFactory} underneath and the logs and contents in an in-memory block service
 * ({@link TestMailboxStorage}). Current quota usage comes from the folder logs ({@link PostCurrentQuotaManager});
 * limits from the durable {@link PostMaxQuotaManager} as on the peer (users' limits in their account logs), with the
 * peer's global and domain limits kept in memory instead of a file.
 */
public final class PostIntegrationResources implements IntegrationResources<StoreMailboxManager> {

    /** What a custom quota manager is built from. */
    public record QuotaStage(PostCurrentQuotaManager currentQuotaManager, MaxQuotaManager maxQuotaManager) {
    }

    /**
     * The mappers, sessions and current quota usage, made before the rest for contracts that need the current
     * quota manager first (see {@link Builder#baseStage}).
     */
    public record BaseStage(PostMailboxSessionMapperFactory mapperFactory, SessionProviderImpl sessionProvider,
                            DefaultUserQuotaRootResolver quotaRootResolver, PostCurrentQuotaManager currentQuotaManager) {
        public static BaseStage of(TestMailboxStorage storage, Clock clock) {
            PostMailboxSessionMapperFactory mapperFactory = new PostMailboxSessionMapperFactory(storage, clock,
                PostMailboxSessionMapperFactory.DEFAULT_CONTENT_CACHE_BYTES);
            SessionProviderImpl sessionProvider = new SessionProviderImpl(Builder.provisionedAuthenticator(),
                FakeAuthorizator.defaultReject());
            DefaultUserQuotaRootResolver quotaRootResolver = new DefaultUserQuotaRootResolver(sessionProvider,
                mapperFactory);
            return new BaseStage(mapperFactory, sessionProvider, quotaRootResolver,
                new PostCurrentQuotaManager(mapperFactory.registry(), quotaRootResolver, sessionProvider));
        }
    }

    /** What a search index is built from: the mappers, sessions, id factory and attachments of this stack. */
    public record SearchStage(PostMailboxSessionMapperFactory mapperFactory, SessionProviderImpl sessionProvider,
                              MessageId.Factory messageIdFactory, StoreAttachmentManager attachmentManager) {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static PostIntegrationResources defaultResources() {
        return builder().build();
    }

    public static final class Builder {
        private TestMailboxStorage storage = TestMailboxStorage.inMemory();
        private long contentCacheBytes = PostMailboxSessionMapperFactory.DEFAULT_CONTENT_CACHE_BYTES;
        private Authenticator authenticator;
        private Authorizator authorizator = FakeAuthorizator.defaultReject();
        private EventBus eventBus;
        private int annotationCount = MailboxConstants.DEFAULT_LIMIT_ANNOTATIONS_ON_MAILBOX;
        private int annotationSize = MailboxConstants.DEFAULT_LIMIT_ANNOTATION_SIZE;
        private MessageParser messageParser = new MessageParser();
        private Set<PreDeletionHook> preDeletionHooks = Set.of();
        private Function<QuotaStage, QuotaManager> quotaManager =
            stage -> new StoreQuotaManager(stage.currentQuotaManager(), stage.maxQuotaManager());
        private Clock clock;
        private BaseStage baseStage;
        private MaxQuotaManager maxQuotaManager;
        private Function<SearchStage, MessageSearchIndex> searchIndex = stage -> new SimpleMessageSearchIndex(
            stage.mapperFactory(), stage.mapperFactory(), new DefaultTextExtractor(), stage.attachmentManager());

        /** Use these mappers, sessions and current quota manager (and the clock they were made with). */
        public Builder baseStage(BaseStage stage, Clock stageClock) {
            this.baseStage = stage;
            this.clock = stageClock;
            return this;
        }

        public Builder maxQuotaManager(MaxQuotaManager maxQuotaManager) {
            this.maxQuotaManager = maxQuotaManager;
            return this;
        }

        /** Bound of the content cache (default: the peer's); 0 reads every content from the store each time. */
        public Builder contentCacheBytes(long bytes) {
            this.contentCacheBytes = bytes;
            return this;
        }

        public Builder storage(TestMailboxStorage storage) {
            this.storage = storage;
            return this;
        }

        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        public Builder authorizator(Authorizator authorizator) {
            this.authorizator = authorizator;
            return this;
        }

        public Builder eventBus(EventBus eventBus) {
            this.eventBus = eventBus;
            return this;
        }

        public Builder annotationLimits(int count, int size) {
            this.annotationCount = count;
            this.annotationSize = size;
            return this;
        }

        public Builder messageParser(MessageParser messageParser) {
            this.messageParser = messageParser;
            return this;
        }

        public Builder preDeletionHooks(Set<PreDeletionHook> hooks) {
            this.preDeletionHooks = Set.copyOf(hooks);
            return this;
        }

        public Builder quotaManager(Function<QuotaStage, QuotaManager> quotaManager) {
            this.quotaManager = quotaManager;
            return this;
        }

        public Builder quotaManager(QuotaManager quotaManager) {
            return quotaManager(stage -> quotaManager);
        }

        /**
         * Use this search index instead of James's scanning one; an index that listens to mailbox events (like
         * James's Lucene index) is registered on the event bus, as James's server does with its listeners.
         */
        public Builder searchIndex(Function<SearchStage, MessageSearchIndex> searchIndex) {
            this.searchIndex = searchIndex;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public PostIntegrationResources build() {
            Clock actualClock = clock != null ? clock : new UpdatableTickingClock(Instant.now());
            EventBus bus = eventBus != null ? eventBus : new InVMEventBus(
                new InVmEventDelivery(new RecordingMetricFactory()), EventBusTestFixture.RETRY_BACKOFF_CONFIGURATION,
                new MemoryEventDeadLetters());
            Authenticator actualAuthenticator = authenticator != null ? authenticator : provisionedAuthenticator();

            BaseStage stage = baseStage;
            if (stage == null) {
                PostMailboxSessionMapperFactory factory = new PostMailboxSessionMapperFactory(storage, actualClock,
                    contentCacheBytes);
                SessionProviderImpl sessions = new SessionProviderImpl(actualAuthenticator, authorizator);
                DefaultUserQuotaRootResolver resolver = new DefaultUserQuotaRootResolver(sessions, factory);
                stage = new BaseStage(factory, sessions, resolver,
                    new PostCurrentQuotaManager(factory.registry(), resolver, sessions));
            }
            PostMailboxSessionMapperFactory mapperFactory = stage.mapperFactory();
            SessionProviderImpl sessionProvider = stage.sessionProvider();
            DefaultUserQuotaRootResolver quotaRootResolver = stage.quotaRootResolver();
            PostCurrentQuotaManager currentQuotaManager = stage.currentQuotaManager();
            StoreRightManager rightManager = new StoreRightManager(mapperFactory, new UnionMailboxACLResolver(), bus);
            StoreMailboxAnnotationManager annotationManager = new StoreMailboxAnnotationManager(mapperFactory,
                rightManager, annotationCount, annotationSize);
            MaxQuotaManager maxQuotas = maxQuotaManager != null ? maxQuotaManager : new PostMaxQuotaManager(
                mapperFactory.registry(), QuotaRootOwners.userRoots(quotaRootResolver), new InMemoryPeerQuotaLimitStore());
            QuotaManager quotas = quotaManager.apply(new QuotaStage(currentQuotaManager, maxQuotas));
            QuotaComponents quotaComponents = new QuotaComponents(maxQuotas, quotas, quotaRootResolver);

            MessageId.Factory messageIdFactory = new PostMessageId.Factory();
            PreDeletionHooks hooks = new PreDeletionHooks(preDeletionHooks, new RecordingMetricFactory());
            StoreMessageIdManager messageIdManager = new StoreMessageIdManager(rightManager, mapperFactory, bus, quotas,
                quotaRootResolver, hooks);
            StoreAttachmentManager attachmentManager = new StoreAttachmentManager(mapperFactory, messageIdManager);
            MessageSearchIndex index = searchIndex.apply(new SearchStage(mapperFactory, sessionProvider,
                messageIdFactory, attachmentManager));

            PostMailboxManager manager = new PostMailboxManager(mapperFactory, sessionProvider,
                new NoMailboxPathLocker(), messageParser, messageIdFactory, bus, annotationManager, rightManager,
                quotaComponents, index, hooks, new NaiveThreadIdGuessingAlgorithm(), actualClock);

            bus.register(new ListeningCurrentQuotaUpdater(currentQuotaManager, quotaRootResolver, bus, quotas));
            bus.register(new MailboxAnnotationListener(mapperFactory, sessionProvider));
            if (index instanceof ListeningMessageSearchIndex listening) {
                bus.register(listening);
            }

            return new PostIntegrationResources(manager, mapperFactory, messageIdManager, messageIdFactory,
                maxQuotas, quotas, quotaRootResolver, currentQuotaManager, bus, storage, rightManager, index);
        }

        static Authenticator provisionedAuthenticator() {
            FakeAuthenticator fake = new FakeAuthenticator();
            fake.addUser(ManagerTestProvisionner.USER, ManagerTestProvisionner.USER_PASS);
            fake.addUser(ManagerTestProvisionner.OTHER_USER, ManagerTestProvisionner.OTHER_USER_PASS);
            return fake;
        }
    }

    private final PostMailboxManager mailboxManager;
    private final PostMailboxSessionMapperFactory mapperFactory;
    private final StoreMessageIdManager messageIdManager;
    private final MessageId.Factory messageIdFactory;
    private final MaxQuotaManager maxQuotaManager;
    private final QuotaManager quotaManager;
    private final DefaultUserQuotaRootResolver quotaRootResolver;
    private final PostCurrentQuotaManager currentQuotaManager;
    private final EventBus eventBus;
    private final TestMailboxStorage storage;
    private final StoreRightManager rightManager;
    private final MessageSearchIndex searchIndex;

    private PostIntegrationResources(PostMailboxManager mailboxManager, PostMailboxSessionMapperFactory mapperFactory,
                                     StoreMessageIdManager messageIdManager, MessageId.Factory messageIdFactory,
                                     MaxQuotaManager maxQuotaManager, QuotaManager quotaManager,
                                     DefaultUserQuotaRootResolver quotaRootResolver,
                                     PostCurrentQuotaManager currentQuotaManager, EventBus eventBus,
                                     TestMailboxStorage storage, StoreRightManager rightManager,
                                     MessageSearchIndex searchIndex) {
        this.mailboxManager = mailboxManager;
        this.mapperFactory = mapperFactory;
        this.messageIdManager = messageIdManager;
        this.messageIdFactory = messageIdFactory;
        this.maxQuotaManager = maxQuotaManager;
        this.quotaManager = quotaManager;
        this.quotaRootResolver = quotaRootResolver;
        this.currentQuotaManager = currentQuotaManager;
        this.eventBus = eventBus;
        this.storage = storage;
        this.rightManager = rightManager;
        this.searchIndex = searchIndex;
    }

    public MessageSearchIndex getSearchIndex() {
        return searchIndex;
    }

    @Override
    public PostMailboxManager getMailboxManager() {
        return mailboxManager;
    }

    public PostMailboxSessionMapperFactory getMapperFactory() {
        return mapperFactory;
    }

    public MessageIdManager getMessageIdManager() {
        return messageIdManager;
    }

    public MessageId.Factory getMessageIdFactory() {
        return messageIdFactory;
    }

    @Override
    public MaxQuotaManager getMaxQuotaManager() {
        return maxQuotaManager;
    }

    @Override
    public QuotaManager getQuotaManager() {
        return quotaManager;
    }

    @Override
    public QuotaRootResolver getQuotaRootResolver() {
        return quotaRootResolver;
    }

    public PostCurrentQuotaManager getCurrentQuotaManager() {
        return currentQuotaManager;
    }

    public EventBus getEventBus() {
        return eventBus;
    }

    public TestMailboxStorage getStorage() {
        return storage;
    }

    public StoreRightManager getRightManager() {
        return rightManager;
    }

    /** A session of {@code user} without authentication. */
    public MailboxSession session(String user) {
        return mailboxManager.createSystemSession(org.apache.james.core.Username.of(user));
    }
}

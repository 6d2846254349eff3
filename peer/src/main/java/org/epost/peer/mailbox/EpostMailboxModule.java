package org.epost.peer.mailbox;

import java.time.Clock;

import javax.inject.Singleton;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxPathLocker;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.quota.CurrentQuotaManager;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.quota.QuotaRootResolver;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.NoMailboxPathLocker;
import org.apache.james.mailbox.store.StoreMailboxManager;
import org.apache.james.mailbox.store.mail.AttachmentMapperFactory;
import org.apache.james.mailbox.store.mail.MailboxMapperFactory;
import org.apache.james.mailbox.store.mail.MessageMapperFactory;
import org.apache.james.mailbox.store.mail.ModSeqProvider;
import org.apache.james.mailbox.store.mail.UidProvider;
import org.apache.james.mailbox.store.user.SubscriptionMapperFactory;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.MailboxManagerDefinition;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.PostMailboxManager;
import org.epost.mailbox.PostMailboxSessionMapperFactory;
import org.epost.mailbox.model.PostMessageId;
import org.epost.mailbox.quota.JsonFileQuotaLimitStore;
import org.epost.mailbox.quota.PostCurrentQuotaManager;
import org.epost.mailbox.quota.PostMaxQuotaManager;
import org.epost.mailbox.quota.QuotaRootOwners;
import org.epost.peer.config.EpostConfiguration;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The ePOST mailbox backend in place of James's memory one (installed with {@code Modules.override}): every mapper,
 * the UID/MODSEQ providers, the id factories, the mailbox manager, the current quota and the maximum quotas come
 * from {@code org.epost.mailbox}. James's store layer above (sessions, rights, events, quota, search, IMAP/POP3/JMAP) is
 * unchanged, which is what makes it "just another James backend"; search is James's Lucene index
 * ({@link EpostSearchModule}).
 */
public class EpostMailboxModule extends AbstractModule {
    /** The peer's global and per-domain quota limits, relative to {@code data.dir}. */
    public static final String LIMITS_FILE = "quota/limits.json";

    @Override
    protected void configure() {
        install(new EpostSearchModule());
        bind(PeerMailboxStorage.class).in(Scopes.SINGLETON);
        bind(MailboxLeases.class).in(Scopes.SINGLETON);

        bind(MailboxSessionMapperFactory.class).to(PostMailboxSessionMapperFactory.class);
        bind(MessageMapperFactory.class).to(PostMailboxSessionMapperFactory.class);
        bind(MailboxMapperFactory.class).to(PostMailboxSessionMapperFactory.class);
        bind(AttachmentMapperFactory.class).to(PostMailboxSessionMapperFactory.class);
        bind(SubscriptionMapperFactory.class).to(PostMailboxSessionMapperFactory.class);

        bind(PostMailboxId.Factory.class).in(Scopes.SINGLETON);
        bind(MailboxId.Factory.class).to(PostMailboxId.Factory.class);
        bind(PostMessageId.Factory.class).in(Scopes.SINGLETON);
        bind(MessageId.Factory.class).to(PostMessageId.Factory.class);

        // No mailbox-wide lock around James's appends and flag changes: each folder log already serializes its updates
        // (LoggedState), and concurrent deliveries to one INBOX must reach it together to share one log append.
        bind(MailboxPathLocker.class).to(NoMailboxPathLocker.class);

        bind(PostMailboxManager.class).in(Scopes.SINGLETON);
        bind(MailboxManager.class).to(PostMailboxManager.class);
        bind(StoreMailboxManager.class).to(PostMailboxManager.class);
        Multibinder.newSetBinder(binder(), MailboxManagerDefinition.class)
            .addBinding().to(EpostMailboxManagerDefinition.class);
    }

    @Provides
    @Singleton
    PostMailboxSessionMapperFactory mapperFactory(PeerMailboxStorage storage, Clock clock) {
        return new PostMailboxSessionMapperFactory(storage, clock,
            PostMailboxSessionMapperFactory.DEFAULT_CONTENT_CACHE_BYTES);
    }

    @Provides
    UidProvider uidProvider(PostMailboxSessionMapperFactory factory) {
        return factory.getUidProvider();
    }

    @Provides
    ModSeqProvider modSeqProvider(PostMailboxSessionMapperFactory factory) {
        return factory.getModSeqProvider();
    }

    /** Usage derived from the folder logs, as durable as the mail itself (James's memory counter is not). */
    @Provides
    @Singleton
    CurrentQuotaManager currentQuotaManager(PostMailboxSessionMapperFactory factory, QuotaRootResolver resolver,
                                            SessionProvider sessions) {
        return new PostCurrentQuotaManager(factory.registry(), resolver, sessions);
    }

    /**
     * Durable limits in place of James's in-memory ones ({@code MemoryQuotaModule} binds
     * {@code InMemoryPerUserMaxQuotaManager}; this module overrides it): users' limits in their account logs, the
     * peer's global and domain limits in {@value #LIMITS_FILE} under the data directory. A corrupt file stops the
     * start with an error naming it.
     */
    @Provides
    @Singleton
    MaxQuotaManager maxQuotaManager(PostMailboxSessionMapperFactory factory, QuotaRootResolver resolver,
                                    EpostConfiguration configuration) {
        return new PostMaxQuotaManager(factory.registry(), QuotaRootOwners.userRoots(resolver),
            new JsonFileQuotaLimitStore(configuration.dataDirectory().resolve(LIMITS_FILE)));
    }

    /** After the lease service (a constructor parameter), which it hands the mailboxes' references. */
    @ProvidesIntoSet
    InitializationOperation startMailboxLeases(MailboxLeases leases) {
        return InitilizationOperationBuilder
            .forClass(MailboxLeases.class)
            .init(leases::start);
    }

    @Singleton
    static class EpostMailboxManagerDefinition extends MailboxManagerDefinition {
        @Inject
        EpostMailboxManagerDefinition(PostMailboxManager manager) {
            super("epost-mailboxmanager", manager);
        }
    }
}

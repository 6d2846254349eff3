package org.epost.mailbox.quota;

import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaCountUsage;
import org.apache.james.core.quota.QuotaSizeUsage;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.model.CurrentQuotas;
import org.apache.james.mailbox.model.QuotaOperation;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.CurrentQuotaManager;
import org.apache.james.mailbox.quota.QuotaRootResolver;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.model.FolderState;
import org.epost.mailbox.storage.MailboxRegistry;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Current quota usage derived from the folder logs: the message count and total size of the quota root's mailboxes,
 * summed from their states (each keeps both as records are applied). Usage is thus as durable as the mail and cannot
 * drift from it; there is no separate counter, so James's increase/decrease/set calls (from the quota listener and
 * the recompute task) have nothing to do.
 */
public final class PostCurrentQuotaManager implements CurrentQuotaManager {
    private final MailboxRegistry registry;
    private final QuotaRootResolver quotaRootResolver;
    private final SessionProvider sessionProvider;

    public PostCurrentQuotaManager(MailboxRegistry registry, QuotaRootResolver quotaRootResolver,
                                   SessionProvider sessionProvider) {
        this.registry = registry;
        this.quotaRootResolver = quotaRootResolver;
        this.sessionProvider = sessionProvider;
    }

    @Override
    public Mono<QuotaCountUsage> getCurrentMessageCount(QuotaRoot quotaRoot) {
        return getCurrentQuotas(quotaRoot).map(CurrentQuotas::count);
    }

    @Override
    public Mono<QuotaSizeUsage> getCurrentStorage(QuotaRoot quotaRoot) {
        return getCurrentQuotas(quotaRoot).map(CurrentQuotas::size);
    }

    @Override
    public Mono<CurrentQuotas> getCurrentQuotas(QuotaRoot quotaRoot) {
        Username user = quotaRootResolver.associatedUsername(quotaRoot);
        return Flux.from(quotaRootResolver.retrieveAssociatedMailboxes(quotaRoot,
                sessionProvider.createSystemSession(user)))
            .publishOn(Schedulers.boundedElastic())
            .map(mailbox -> {
                try {
                    PostMailboxId id = (PostMailboxId) mailbox.getMailboxId();
                    return registry.folder(id.owner(), id.folder()).log().read(PostCurrentQuotaManager::usage);
                } catch (org.apache.james.mailbox.exception.MailboxException e) {
                    throw new IllegalStateException("usage of " + mailbox.getMailboxId() + " unreadable: "
                        + e.getMessage(), e);
                }
            })
            .reduce(CurrentQuotas.emptyQuotas(), CurrentQuotas::increase);
    }

    private static CurrentQuotas usage(FolderState state) {
        return new CurrentQuotas(QuotaCountUsage.count(state.count()), QuotaSizeUsage.size(state.octets()));
    }

    /** Nothing to count: usage is read from the folder states. */
    @Override
    public Mono<Void> increase(QuotaOperation quotaOperation) {
        return Mono.empty();
    }

    /** Nothing to count: usage is read from the folder states. */
    @Override
    public Mono<Void> decrease(QuotaOperation quotaOperation) {
        return Mono.empty();
    }

    /** Nothing to reset: usage is read from the folder states, so it is always the recomputed value. */
    @Override
    public Mono<Void> setCurrentQuotas(QuotaOperation quotaOperation) {
        return Mono.empty();
    }
}

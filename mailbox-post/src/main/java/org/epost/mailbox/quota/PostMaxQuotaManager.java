package org.epost.mailbox.quota;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.apache.james.core.Domain;
import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Quota;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.epost.mailbox.model.QuotaLimit;
import org.epost.mailbox.model.QuotaResource;
import org.epost.mailbox.storage.MailboxRegistry;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Durable maximum quotas, in place of James's in-memory ones: a user's own limits are records of their account log
 * ({@link UserQuotaLimits}: they follow the user's mailboxes), the global and per-domain limits are this peer's
 * settings in a local file ({@link PeerQuotaLimitStore}, read when the peer starts). The effective limit of a root is
 * the user's, else its domain's, else the peer's (James's {@link MaxQuotaManager} defaults pick it from the details).
 *
 * <p>Setting or reading the limits of a root that names no user homed on this peer fails with an
 * {@link UnknownQuotaRootException} ({@link IllegalArgumentException} from the methods that cannot throw one).
 */
public final class PostMaxQuotaManager implements MaxQuotaManager {
    private final UserQuotaLimits users;
    private final PeerQuotaSettings peer;

    /**
     * @throws java.io.UncheckedIOException when the store's limits cannot be read (a corrupt file: the peer must not
     *                                      start without the limits its admin set)
     */
    public PostMaxQuotaManager(MailboxRegistry registry, QuotaRootOwners owners, PeerQuotaLimitStore peerLimits) {
        this.users = new UserQuotaLimits(registry, owners);
        this.peer = new PeerQuotaSettings(peerLimits);
    }

    // ---------------------------------------------------------------- a user's own limits

    @Override
    public void setMaxStorage(QuotaRoot quotaRoot, QuotaSizeLimit maxStorageQuota) throws MailboxException {
        users.set(quotaRoot, QuotaResource.STORAGE, Optional.of(fromSize(maxStorageQuota)));
    }

    @Override
    public Publisher<Void> setMaxStorageReactive(QuotaRoot quotaRoot, QuotaSizeLimit maxStorageQuota) {
        return blocking(() -> setMaxStorage(quotaRoot, maxStorageQuota));
    }

    @Override
    public void setMaxMessage(QuotaRoot quotaRoot, QuotaCountLimit maxMessageCount) throws MailboxException {
        users.set(quotaRoot, QuotaResource.MESSAGES, Optional.of(fromCount(maxMessageCount)));
    }

    @Override
    public Publisher<Void> setMaxMessageReactive(QuotaRoot quotaRoot, QuotaCountLimit maxMessageCount) {
        return blocking(() -> setMaxMessage(quotaRoot, maxMessageCount));
    }

    @Override
    public void removeMaxMessage(QuotaRoot quotaRoot) throws MailboxException {
        users.set(quotaRoot, QuotaResource.MESSAGES, Optional.empty());
    }

    @Override
    public Publisher<Void> removeMaxMessageReactive(QuotaRoot quotaRoot) {
        return blocking(() -> removeMaxMessage(quotaRoot));
    }

    @Override
    public void removeMaxStorage(QuotaRoot quotaRoot) throws MailboxException {
        users.set(quotaRoot, QuotaResource.STORAGE, Optional.empty());
    }

    @Override
    public Publisher<Void> removeMaxStorageReactive(QuotaRoot quotaRoot) {
        return blocking(() -> removeMaxStorage(quotaRoot));
    }

    // ---------------------------------------------------------------- the peer's limits

    @Override
    public void setGlobalMaxStorage(QuotaSizeLimit globalMaxStorage) throws MailboxException {
        peer.update(limits -> limits.withGlobal(QuotaResource.STORAGE, Optional.of(fromSize(globalMaxStorage))));
    }

    @Override
    public Publisher<Void> setGlobalMaxStorageReactive(QuotaSizeLimit globalMaxStorage) {
        return blocking(() -> setGlobalMaxStorage(globalMaxStorage));
    }

    @Override
    public void removeGlobalMaxStorage() throws MailboxException {
        peer.update(limits -> limits.withGlobal(QuotaResource.STORAGE, Optional.empty()));
    }

    @Override
    public Publisher<Void> removeGlobalMaxStorageReactive() {
        return blocking(this::removeGlobalMaxStorage);
    }

    @Override
    public void setGlobalMaxMessage(QuotaCountLimit globalMaxMessageCount) throws MailboxException {
        peer.update(limits -> limits.withGlobal(QuotaResource.MESSAGES, Optional.of(fromCount(globalMaxMessageCount))));
    }

    @Override
    public Publisher<Void> setGlobalMaxMessageReactive(QuotaCountLimit globalMaxMessageCount) {
        return blocking(() -> setGlobalMaxMessage(globalMaxMessageCount));
    }

    @Override
    public void removeGlobalMaxMessage() throws MailboxException {
        peer.update(limits -> limits.withGlobal(QuotaResource.MESSAGES, Optional.empty()));
    }

    @Override
    public Publisher<Void> removeGlobalMaxMessageReactive() {
        return blocking(this::removeGlobalMaxMessage);
    }

    @Override
    public Optional<QuotaSizeLimit> getGlobalMaxStorage() {
        return peer.current().global(QuotaResource.STORAGE).map(PostMaxQuotaManager::toSize);
    }

    @Override
    public Publisher<QuotaSizeLimit> getGlobalMaxStorageReactive() {
        return Mono.justOrEmpty(getGlobalMaxStorage());
    }

    @Override
    public Optional<QuotaCountLimit> getGlobalMaxMessage() {
        return peer.current().global(QuotaResource.MESSAGES).map(PostMaxQuotaManager::toCount);
    }

    @Override
    public Publisher<QuotaCountLimit> getGlobalMaxMessageReactive() {
        return Mono.justOrEmpty(getGlobalMaxMessage());
    }

    @Override
    public Optional<QuotaCountLimit> getDomainMaxMessage(Domain domain) {
        return peer.current().domain(domain, QuotaResource.MESSAGES).map(PostMaxQuotaManager::toCount);
    }

    @Override
    public Publisher<QuotaCountLimit> getDomainMaxMessageReactive(Domain domain) {
        return Mono.justOrEmpty(getDomainMaxMessage(domain));
    }

    @Override
    public void setDomainMaxMessage(Domain domain, QuotaCountLimit count) throws MailboxException {
        peer.update(limits -> limits.withDomain(domain, QuotaResource.MESSAGES, Optional.of(fromCount(count))));
    }

    @Override
    public Publisher<Void> setDomainMaxMessageReactive(Domain domain, QuotaCountLimit count) {
        return blocking(() -> setDomainMaxMessage(domain, count));
    }

    @Override
    public void removeDomainMaxMessage(Domain domain) throws MailboxException {
        peer.update(limits -> limits.withDomain(domain, QuotaResource.MESSAGES, Optional.empty()));
    }

    @Override
    public Publisher<Void> removeDomainMaxMessageReactive(Domain domain) {
        return blocking(() -> removeDomainMaxMessage(domain));
    }

    @Override
    public void setDomainMaxStorage(Domain domain, QuotaSizeLimit size) throws MailboxException {
        peer.update(limits -> limits.withDomain(domain, QuotaResource.STORAGE, Optional.of(fromSize(size))));
    }

    @Override
    public Publisher<Void> setDomainMaxStorageReactive(Domain domain, QuotaSizeLimit size) {
        return blocking(() -> setDomainMaxStorage(domain, size));
    }

    @Override
    public Optional<QuotaSizeLimit> getDomainMaxStorage(Domain domain) {
        return peer.current().domain(domain, QuotaResource.STORAGE).map(PostMaxQuotaManager::toSize);
    }

    @Override
    public Publisher<QuotaSizeLimit> getDomainMaxStorageReactive(Domain domain) {
        return Mono.justOrEmpty(getDomainMaxStorage(domain));
    }

    @Override
    public void removeDomainMaxStorage(Domain domain) throws MailboxException {
        peer.update(limits -> limits.withDomain(domain, QuotaResource.STORAGE, Optional.empty()));
    }

    @Override
    public Publisher<Void> removeDomainMaxStorageReactive(Domain domain) {
        return blocking(() -> removeDomainMaxStorage(domain));
    }

    // ---------------------------------------------------------------- the limits of a root, by scope

    /** @throws IllegalArgumentException when the root names no user homed here (see the class comment) */
    @Override
    public Map<Quota.Scope, QuotaCountLimit> listMaxMessagesDetails(QuotaRoot quotaRoot) {
        return details(quotaRoot, QuotaResource.MESSAGES, PostMaxQuotaManager::toCount);
    }

    /** @throws IllegalArgumentException when the root names no user homed here (see the class comment) */
    @Override
    public Map<Quota.Scope, QuotaSizeLimit> listMaxStorageDetails(QuotaRoot quotaRoot) {
        return details(quotaRoot, QuotaResource.STORAGE, PostMaxQuotaManager::toSize);
    }

    @Override
    public Publisher<Map<Quota.Scope, QuotaCountLimit>> listMaxMessagesDetailsReactive(QuotaRoot quotaRoot) {
        return blockingCall(() -> listMaxMessagesDetails(quotaRoot));
    }

    @Override
    public Publisher<Map<Quota.Scope, QuotaSizeLimit>> listMaxStorageDetailsReactive(QuotaRoot quotaRoot) {
        return blockingCall(() -> listMaxStorageDetails(quotaRoot));
    }

    private <T> Map<Quota.Scope, T> details(QuotaRoot root, QuotaResource resource, Function<QuotaLimit, T> convert) {
        Optional<QuotaLimit> user;
        try {
            user = users.get(root, resource);
        } catch (UnknownQuotaRootException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (MailboxException e) {
            throw new IllegalStateException("the quota limits of '" + root.getValue() + "' cannot be read: "
                + e.getMessage(), e);
        }
        PeerQuotaLimits peerLimits = peer.current();
        EnumMap<Quota.Scope, T> details = new EnumMap<>(Quota.Scope.class);
        user.ifPresent(limit -> details.put(Quota.Scope.User, convert.apply(limit)));
        root.getDomain().flatMap(domain -> peerLimits.domain(domain, resource))
            .ifPresent(limit -> details.put(Quota.Scope.Domain, convert.apply(limit)));
        peerLimits.global(resource).ifPresent(limit -> details.put(Quota.Scope.Global, convert.apply(limit)));
        return Collections.unmodifiableMap(details);
    }

    // ---------------------------------------------------------------- James's limit types <-> the log's

    private static QuotaLimit fromCount(QuotaCountLimit limit) {
        return limit.isUnlimited() ? QuotaLimit.unlimited() : QuotaLimit.of(limit.asLong());
    }

    private static QuotaLimit fromSize(QuotaSizeLimit limit) {
        return limit.isUnlimited() ? QuotaLimit.unlimited() : QuotaLimit.of(limit.asLong());
    }

    private static QuotaCountLimit toCount(QuotaLimit limit) {
        return limit.isUnlimited() ? QuotaCountLimit.unlimited() : QuotaCountLimit.count(limit.max().getAsLong());
    }

    private static QuotaSizeLimit toSize(QuotaLimit limit) {
        return limit.isUnlimited() ? QuotaSizeLimit.unlimited() : QuotaSizeLimit.size(limit.max().getAsLong());
    }

    // ---------------------------------------------------------------- reactive variants

    private interface Action {
        void run() throws MailboxException;
    }

    /** Log appends and file writes block: off the caller's (often an event loop's) thread. */
    private static Mono<Void> blocking(Action action) {
        return Mono.<Void>fromCallable(() -> {
            action.run();
            return null;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private static <T> Mono<T> blockingCall(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }
}

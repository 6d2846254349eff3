package org.epost.peer.spam;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import javax.inject.Inject;

import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.config.PostSettings;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.OrganizationBlockList;
import org.epost.spam.policy.OrganizationSpamPolicy;

/**
 * The organization block list as this peer sees it: on a peer with ePOST domains, the list signed by the organization's
 * user authority (which such a peer holds to provision users) in PAST, looked up again every
 * {@value #REFRESH_SECONDS} seconds; on a peer without, the empty list, which cannot be changed there.
 */
public final class OrganizationSpamList implements Supplier<BlockList> {
    static final long REFRESH_SECONDS = 30;

    private final Optional<OrganizationUserAuthority> authority;
    private final Optional<OrganizationBlockList> list;

    @Inject
    public OrganizationSpamList(EpostConfiguration configuration, PostReadiness post) throws IOException {
        Optional<PostSettings> settings = configuration.post();
        if (settings.isEmpty()) {
            authority = Optional.empty();
            list = Optional.empty();
            return;
        }
        // A peer without the user CA key reads the list but cannot publish one.
        authority = settings.get().userAuthority();
        list = Optional.of(new OrganizationBlockList(authority.isPresent() ? authority.get().publicKey()
                : OrganizationUserAuthority.publicKeyIn(settings.get().authority()),
            () -> post.ifRunning().map(PostServices::blocks), System::currentTimeMillis,
            Duration.ofSeconds(REFRESH_SECONDS).toMillis(), configuration.lease().lease().toMillis()));
    }

    @Override
    public BlockList get() {
        return list.map(OrganizationBlockList::get).orElse(BlockList.EMPTY);
    }

    /** The list and the discard domains as this peer enforces them now; never waits on the ring. */
    public OrganizationSpamPolicy policy() {
        return list.map(OrganizationBlockList::policy).orElse(OrganizationSpamPolicy.EMPTY);
    }

    /** The newest list and discard domains in PAST (looked up now). */
    public CompletableFuture<OrganizationSpamPolicy> currentPolicy() {
        return list.map(OrganizationBlockList::refreshPolicy)
            .orElse(CompletableFuture.completedFuture(OrganizationSpamPolicy.EMPTY));
    }

    /** Publishes the changed discard domains (and the same list) as the next version. */
    public CompletableFuture<OrganizationSpamPolicy> changePolicy(UnaryOperator<OrganizationSpamPolicy> change) {
        if (list.isEmpty() || authority.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                "this peer holds no user CA key to sign the list (no ePOST domain, or no user-ca.key in post.authority)"));
        }
        return list.get().publishPolicy(authority.get(), change);
    }

    /** The newest list in PAST (looked up now) and its version (-1: none published). */
    public CompletableFuture<Versioned> current() {
        if (list.isEmpty()) {
            return CompletableFuture.completedFuture(new Versioned(-1, BlockList.EMPTY));
        }
        return list.get().refresh().thenApply(found -> new Versioned(list.get().version(), found));
    }

    /** Publishes the changed list as its next version. */
    public CompletableFuture<BlockList> change(UnaryOperator<BlockList> change) {
        return changePolicy(policy -> policy.withBlocked(change.apply(policy.blocked())))
            .thenApply(OrganizationSpamPolicy::blocked);
    }

    /** A list and the version it was published as. */
    public record Versioned(long version, BlockList list) {
    }
}

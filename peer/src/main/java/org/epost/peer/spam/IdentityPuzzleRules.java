package org.epost.peer.spam;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.peer.config.PuzzleSettings;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.post.accounts.AccountService;
import org.epost.spam.mail.FirstContactRules;
import org.epost.spam.puzzle.PuzzleDifficulty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first-contact rules of this home peer's users ({@link PuzzleSettings}), and their publication: each user's
 * identity block is made to carry the configured base difficulty (a new identity version when it does not yet),
 * for every user kept here when POST starts and for any other on their first first-contact check. The base demanded
 * of a first contact to a user is the one their identity block was last seen carrying by this peer, so a sender
 * that read the block solves enough; until this peer has seen it, the protocol's default (a lenient check, never a
 * stricter one than senders could know).
 */
final class IdentityPuzzleRules implements FirstContactRules {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityPuzzleRules.class);

    private final PuzzleSettings settings;
    private final PostReadiness post;
    private final int protocolDefault = PuzzleDifficulty.defaults().baseBits();
    /** Each user's base as their identity block carries it, once seen. */
    private final Map<String, Integer> published = new ConcurrentHashMap<>();
    private final Set<String> checking = ConcurrentHashMap.newKeySet();

    IdentityPuzzleRules(PuzzleSettings settings, PostReadiness post) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.post = Objects.requireNonNull(post, "post");
    }

    /** Once POST runs, makes the identity of every user kept here carry the configured base. */
    void publishAllWhenRunning(MailboxRegistry registry) {
        post.services().thenAccept(services -> registry.allAccounts().stream()
            .map(account -> account.owner().asString())
            .filter(services.accounts()::isProvisioned)
            .forEach(this::ensurePublished));
    }

    @Override
    public int baseBits(String user) {
        Integer seen = published.get(user);
        if (seen == null) {
            ensurePublished(user);
            return protocolDefault;
        }
        return seen;
    }

    @Override
    public boolean refuses(String user) {
        return settings.refuses(user);
    }

    /** Publishes the configured base in {@code user}'s identity unless it carries it; completes with what it carries. */
    CompletableFuture<Integer> ensurePublished(String user) {
        if (!checking.add(user)) {
            return CompletableFuture.completedFuture(published.getOrDefault(user, protocolDefault));
        }
        return post.services().thenCompose(services -> carried(services, user))
            .whenComplete((bits, failure) -> {
                checking.remove(user);
                if (failure == null) {
                    published.put(user, bits);
                } else {
                    LOG.warn("Cannot read the identity of {} to publish its puzzle base (tried again on the next"
                        + " first contact): {}", user, AccountService.unwrap(failure).getMessage());
                }
            });
    }

    private CompletableFuture<Integer> carried(PostServices services, String user) {
        int wanted = settings.baseBits();
        return services.accounts().lookupIdentity(user).thenCompose(identity -> {
            int carried = identity.contents().puzzleBits().orElse(protocolDefault);
            if (carried == wanted) {
                return CompletableFuture.completedFuture(carried);
            }
            return services.accounts().publishIdentity(user, contents -> contents.withPuzzleBits(wanted))
                .handle((next, failure) -> {
                    if (failure != null) {
                        LOG.warn("Cannot publish the puzzle base {} bits of {} (its identity keeps {}): {}", wanted,
                            user, carried, AccountService.unwrap(failure).getMessage());
                        return carried;
                    }
                    LOG.info("Published the first-contact puzzle base of {}: {} bits (identity v{}, was {})", user,
                        wanted, next.version(), carried);
                    return wanted;
                });
        });
    }
}

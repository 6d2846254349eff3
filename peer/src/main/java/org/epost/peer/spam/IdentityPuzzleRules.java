package org.epost.peer.spam;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.peer.config.PuzzleSettings;
import org.epost.post.accounts.AccountService;
import org.epost.spam.mail.FirstContactRules;
import org.epost.spam.policy.FirstContactChoice;
import org.epost.spam.puzzle.PuzzleDifficulty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first-contact rules of this home peer's users ({@link PuzzleSettings}, or each user's own
 * {@link FirstContactChoice}), and their publication: each user's
 * identity block is made to carry the configured base difficulty (a new identity version when it does not yet),
 * for every user kept here when POST starts and for any other on their first first-contact check. The base demanded
 * of a first contact to a user is the one their identity block was last seen carrying by this peer, so a sender
 * that read the block solves enough; until this peer has seen it, the protocol's default (a lenient check, never a
 * stricter one than senders could know).
 */
final class IdentityPuzzleRules implements FirstContactRules {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityPuzzleRules.class);

    private final PuzzleSettings settings;
    private final Supplier<CompletableFuture<AccountService>> accounts;
    private final Function<String, FirstContactChoice> choices;
    private final Executor background;
    private final int protocolDefault = PuzzleDifficulty.defaults().baseBits();
    /** Each user's base as their identity block carries it, once seen. */
    private final Map<String, Integer> published = new ConcurrentHashMap<>();
    /** The checks running, one per user. */
    private final Map<String, CompletableFuture<Integer>> checking = new ConcurrentHashMap<>();

    /**
     * @param accounts   this peer's accounts once POST runs
     * @param choices    each user's own choice, over {@code settings} (their account log)
     * @param background where the checks run: reading a choice opens an account log, which may wait for PAST, and the
     *                   thread that completes {@code accounts} is the peer's start, which joins the ring only after
     *                   it (a restarted lone peer whose users had no account log yet never joined)
     */
    IdentityPuzzleRules(PuzzleSettings settings, Supplier<CompletableFuture<AccountService>> accounts,
                        Function<String, FirstContactChoice> choices, Executor background) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.choices = Objects.requireNonNull(choices, "choices");
        this.background = Objects.requireNonNull(background, "background");
    }

    /** Once POST runs, makes the identity of every user kept here carry the configured base (in the background). */
    void publishAllWhenRunning(MailboxRegistry registry) {
        accounts.get().thenAcceptAsync(service -> registry.allAccounts().stream()
            .map(account -> account.owner().asString())
            .filter(service::isProvisioned)
            .forEach(this::ensurePublished), background);
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
        return choices.apply(user).refuse().orElseGet(() -> settings.refuses(user));
    }

    /** The base {@code user}'s identity carries as this peer last saw it; empty before. */
    Optional<Integer> seenBits(String user) {
        return Optional.ofNullable(published.get(user));
    }

    /** The base {@code user}'s identity should carry: their own choice, or this peer's. */
    int wantedBits(String user) {
        return choices.apply(user).baseBits().orElse(settings.baseBits());
    }

    /** After {@code user}'s choice changed: publishes what it asks now; completes with the base carried. */
    CompletableFuture<Integer> republish(String user) {
        CompletableFuture<Integer> running = checking.get(user);
        return (running == null ? CompletableFuture.completedFuture(0) : running.exceptionally(failure -> 0))
            .thenCompose(ignored -> ensurePublished(user));
    }

    /** Publishes the wanted base in {@code user}'s identity unless it carries it; completes with what it carries. */
    CompletableFuture<Integer> ensurePublished(String user) {
        CompletableFuture<Integer> check = new CompletableFuture<>();
        CompletableFuture<Integer> running = checking.putIfAbsent(user, check);
        if (running != null) {
            return running;
        }
        accounts.get().thenComposeAsync(service -> carried(service, user), background)
            .whenComplete((bits, failure) -> {
                if (failure == null) {
                    published.put(user, bits);
                } else {
                    LOG.warn("Cannot read the identity of {} to publish its puzzle base (tried again on the next"
                        + " first contact): {}", user, AccountService.unwrap(failure).getMessage());
                }
                checking.remove(user, check);
                if (failure == null) {
                    check.complete(bits);
                } else {
                    check.completeExceptionally(failure);
                }
            });
        return check;
    }

    private CompletableFuture<Integer> carried(AccountService service, String user) {
        int wanted = wantedBits(user);
        return service.lookupIdentity(user).thenCompose(identity -> {
            int carried = identity.contents().puzzleBits().orElse(protocolDefault);
            if (carried == wanted) {
                return CompletableFuture.completedFuture(carried);
            }
            return service.publishIdentity(user, contents -> contents.withPuzzleBits(wanted))
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

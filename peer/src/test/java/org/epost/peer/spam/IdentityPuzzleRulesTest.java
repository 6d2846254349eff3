package org.epost.peer.spam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.peer.config.PuzzleSettings;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.KeyVault;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.post.testing.Seeded;
import org.epost.spam.policy.FirstContactChoice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The home peer publishes its configured puzzle base in its users' identity blocks (read back by another peer's
 * accounts, as a sender reads them) and demands what the block carries once it has seen it.
 */
class IdentityPuzzleRulesTest {
    private static final NodeHandle HOME = new NodeHandle(Id.hash("home"), "10.0.0.1:4000");
    private static final String ALICE = "alice@epost.test";

    @TempDir
    Path directory;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final InMemoryBlockService blocks = new InMemoryBlockService().clock(now::get);
    private AccountService home;
    private AccountService sender;
    private final Map<String, FirstContactChoice> choices = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        OrganizationUserAuthority authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
        home = new AccountService(blocks, KeyVault.open(directory.resolve("home"), Seeded.bytes(32, 1)), authority,
            authority.publicKey(), now::get, AccountService.Settings.defaults(), Runnable::run);
        sender = new AccountService(blocks, KeyVault.open(directory.resolve("sender"), Seeded.bytes(32, 2)), null,
            authority.publicKey(), now::get, AccountService.Settings.defaults(), Runnable::run);
        home.provision(ALICE, HOME).join();
    }

    private IdentityPuzzleRules rules(int bits) {
        return new IdentityPuzzleRules(new PuzzleSettings(bits, Set.of("epost.test")),
            () -> CompletableFuture.completedFuture(home),
            user -> choices.getOrDefault(user, FirstContactChoice.PEER_DEFAULTS), Runnable::run);
    }

    @Test
    void theConfiguredBaseIsPublishedOnceAndThenDemanded() {
        IdentityPuzzleRules rules = rules(3);
        assertThat(sender.lookupIdentity(ALICE).join().contents().puzzleBits()).isEmpty();

        assertThat(rules.ensurePublished(ALICE).join()).isEqualTo(3);
        assertThat(rules.baseBits(ALICE)).isEqualTo(3);
        var identity = sender.lookupIdentity(ALICE).join();
        assertThat(identity.contents().puzzleBits()).hasValue(3);
        assertThat(identity.version()).isEqualTo(1);
        assertThat(identity.home()).isEqualTo(HOME);

        long inserts = blocks.inserts();
        assertThat(rules(3).ensurePublished(ALICE).join()).isEqualTo(3);
        assertThat(blocks.inserts()).as("carried already: nothing published").isEqualTo(inserts);

        assertThat(rules(1).ensurePublished(ALICE).join()).isEqualTo(1);
        assertThat(sender.lookupIdentity(ALICE).join().contents().puzzleBits()).hasValue(1);
    }

    @Test
    void untilSeenTheDefaultIsDemandedAndTheBlockIsPublishedMeanwhile() {
        CompletableFuture<AccountService> running = new CompletableFuture<>();
        IdentityPuzzleRules rules = new IdentityPuzzleRules(new PuzzleSettings(2, Set.of()), () -> running,
            user -> FirstContactChoice.PEER_DEFAULTS, Runnable::run);
        assertThat(rules.baseBits(ALICE)).as("not seen yet: the protocol's default").isZero();
        CompletableFuture<Integer> check = rules.ensurePublished(ALICE);
        assertThat(check).as("the check the first call started").isNotDone();
        running.complete(home);
        assertThat(check.join()).isEqualTo(2);
        assertThat(rules.baseBits(ALICE)).isEqualTo(2);
    }

    @Test
    void theThreadThatStartsPostIsNeverHeldWhileAChoiceIsReadFromAnAccountLog() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch logOpened = new CountDownLatch(1);
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<AccountService> running = new CompletableFuture<>();
            IdentityPuzzleRules rules = new IdentityPuzzleRules(new PuzzleSettings(2, Set.of()), () -> running,
                user -> {
                    reading.countDown();
                    awaitQuietly(logOpened); // an account log waiting for PAST, as on a peer not joined yet
                    return FirstContactChoice.PEER_DEFAULTS;
                }, background);
            CompletableFuture<Integer> check = rules.ensurePublished(ALICE);

            // The peer's start completes POST's readiness, then joins the ring: it must not wait for the log.
            CompletableFuture.runAsync(() -> running.complete(home)).get(30, TimeUnit.SECONDS);
            assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(check).isNotDone();

            logOpened.countDown();
            assertThat(check.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        } finally {
            logOpened.countDown();
            background.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theDefaultBaseLeavesTheIdentityInFormatOne() {
        long inserts = blocks.inserts();
        assertThat(rules(0).ensurePublished(ALICE).join()).isZero();
        assertThat(blocks.inserts()).isEqualTo(inserts);
        assertThat(sender.lookupIdentity(ALICE).join().contents().puzzleBits()).isEmpty();
    }

    @Test
    void aUsersOwnChoiceOverridesThePeersAndIsPublishedWhenChanged() {
        IdentityPuzzleRules rules = rules(3);
        assertThat(rules.ensurePublished(ALICE).join()).isEqualTo(3);
        choices.put(ALICE, new FirstContactChoice(OptionalInt.of(5), Optional.of(false)));
        assertThat(rules.republish(ALICE).join()).isEqualTo(5);
        assertThat(rules.baseBits(ALICE)).isEqualTo(5);
        assertThat(sender.lookupIdentity(ALICE).join().contents().puzzleBits()).hasValue(5);
        assertThat(rules.refuses(ALICE)).as("her choice over the peer's refusing domain").isFalse();
        choices.put(ALICE, FirstContactChoice.PEER_DEFAULTS);
        assertThat(rules.republish(ALICE).join()).isEqualTo(3);
        assertThat(rules.refuses(ALICE)).isTrue();
    }

    @Test
    void aUserWithoutAnIdentityKeepsTheDefaultAndRefusalFollowsTheDomain() {
        IdentityPuzzleRules rules = rules(3);
        assertThat(rules.ensurePublished("nobody@epost.test")).isCompletedExceptionally();
        assertThat(rules.baseBits("nobody@epost.test")).isZero();
        assertThat(rules.refuses(ALICE)).isTrue();
        assertThat(rules.refuses("carol@other.example")).isFalse();
    }
}

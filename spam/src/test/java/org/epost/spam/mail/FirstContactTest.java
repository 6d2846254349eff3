package org.epost.spam.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.model.MailboxPath;
import org.epost.mailbox.PostIntegrationResources;
import org.epost.mailbox.PostMailboxManager;
import org.epost.overlay.metrics.MetricSink;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.Signatures;
import org.epost.post.delivery.NotificationSender;
import org.epost.post.delivery.RelayAccount;
import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.BlockListPolicy;
import org.epost.spam.policy.FollowedBlockLists;
import org.epost.spam.policy.OrganizationSpamPolicy;
import org.epost.spam.policy.Sender;
import org.epost.spam.policy.SpamCounters;
import org.epost.spam.policy.Verdict;
import org.epost.spam.puzzle.Equihash;
import org.epost.spam.puzzle.FirstContactRate;
import org.epost.spam.puzzle.Puzzle;
import org.epost.spam.puzzle.PuzzleDifficulty;
import org.epost.spam.puzzle.PuzzleSeed;
import org.epost.spam.puzzle.PuzzleVerifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both sides of first-contact puzzles on the real ePOST mailbox backend (account logs): alice's first mail to bob
 * carries a solved puzzle and lands in INBOX, after which they know each other and no puzzle is solved or asked;
 * a stranger's mail without one is junked; an allowed sender needs none and is not junked by bob's own list.
 */
class FirstContactTest {
    private static final String ALICE = "alice@epost.test";
    private static final String BOB = "bob@epost.test";
    private static final String MALLORY = "mallory@epost.test";
    private static final Executor DIRECT = Runnable::run;

    private final Map<String, UserKeys> keys = Map.of(ALICE, UserKeys.generate(), BOB, UserKeys.generate(),
        MALLORY, UserKeys.generate());
    private final SpamCounters counters = new SpamCounters(MetricSink.NONE);
    private final List<Notification> sent = new ArrayList<>();
    private AccountLogCorrespondents known;
    private AccountLogBlockLists blocked;
    private AccountLogBlockLists allowed;
    private FirstContactPolicy policy;
    private NotificationSender sender;

    private final PuzzleKeys puzzleKeys = new PuzzleKeys() {
        @Override
        public Optional<PublicKey> local(String user) {
            return Optional.ofNullable(keys.get(user)).map(UserKeys::signingPublicKey);
        }

        @Override
        public CompletableFuture<PuzzleRecipient> recipient(String user) {
            return CompletableFuture.completedFuture(new PuzzleRecipient(keys.get(user).signingPublicKey(),
                published.containsKey(user) ? OptionalInt.of(published.get(user)) : OptionalInt.empty()));
        }
    };

    /** What each user's identity block publishes (none: format 1) and what their home peer demands and refuses. */
    private final Map<String, Integer> published = new HashMap<>();
    private final Set<String> refusing = new HashSet<>();
    private final FirstContactRules rules = new FirstContactRules() {
        @Override
        public int baseBits(String user) {
            return published.getOrDefault(user, 0);
        }

        @Override
        public boolean refuses(String user) {
            return refusing.contains(user);
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        PostIntegrationResources resources = PostIntegrationResources.builder().build();
        PostMailboxManager manager = resources.getMailboxManager();
        for (String user : List.of(ALICE, BOB, MALLORY)) {
            MailboxSession session = manager.createSystemSession(Username.of(user));
            manager.createMailbox(MailboxPath.inbox(session), session);
        }
        var registry = resources.getMapperFactory().registry();
        known = new AccountLogCorrespondents(registry);
        blocked = new AccountLogBlockLists(registry);
        allowed = new AccountLogBlockLists(registry, AccountLogBlockLists.ALLOWED_KEY, user -> { });
        PuzzleDifficulty difficulty = PuzzleDifficulty.defaults();
        policy = new FirstContactPolicy(new BlockListPolicy(blocked, allowed::of, FollowedBlockLists.NONE,
            () -> OrganizationSpamPolicy.EMPTY, counters),
            allowed::of, known, new PuzzleVerifier(difficulty, 86_400_000L, 10, 10, System::currentTimeMillis),
            puzzleKeys, rules, counters, send -> new FirstContactSender(send, known, puzzleKeys, difficulty,
                PuzzleDifficulty.MAX_PUBLISHED_BITS,
                new FirstContactRate(difficulty.windowMillis(), 10, System::currentTimeMillis), counters, DIRECT, DIRECT));
        sender = policy.outgoing((notification, returnPath) -> {
            sent.add(notification);
            return CompletableFuture.completedFuture(Outcome.DELIVERED);
        });
    }

    private Notification send(String from, String to) {
        sender.send(Notification.create(from, to, "hi", System.currentTimeMillis(), List.of(new byte[] {1}), 1),
            Optional.empty()).join();
        return sent.get(sent.size() - 1);
    }

    private final OrganizationUserAuthority authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());

    private UserCertificate certificate(String user) {
        UserKeys userKeys = keys.get(user);
        return authority.issue(user, userKeys.signingPublicKey(), userKeys.encryptionPublicKey(), 4_000_000_000_000L);
    }

    private Verdict deliver(Notification notification) {
        return policy.verdict(notification.recipient(), Optional.of(Sender.verified(notification.sender())),
            notification, certificate(notification.sender()));
    }

    @Test
    void aFirstMailCarriesAPuzzleAndLaterMailInBothDirectionsDoesNot() {
        Notification first = send(ALICE, BOB);
        assertThat(first.hasPuzzle()).isTrue();
        assertThat(counters.snapshot().puzzlesSolved()).isEqualTo(1);
        assertThat(known.of(ALICE).knows(BOB)).as("alice sent to bob").isTrue();
        assertThat(deliver(first)).isEqualTo(Verdict.INBOX);
        assertThat(known.of(BOB).knows(ALICE)).as("alice's mail is in bob's INBOX").isTrue();
        assertThat(counters.snapshot().puzzlesChecked()).isEqualTo(1);
        assertThat(counters.snapshot().puzzlesFailed()).isZero();

        Notification second = send(ALICE, BOB);
        assertThat(second.hasPuzzle()).isFalse();
        assertThat(deliver(second)).isEqualTo(Verdict.INBOX);
        Notification reply = send(BOB, ALICE);
        assertThat(reply.hasPuzzle()).as("bob knows alice from her mail").isFalse();
        assertThat(deliver(reply)).isEqualTo(Verdict.INBOX);
        assertThat(counters.snapshot().puzzlesSolved()).isEqualTo(1);
        assertThat(counters.snapshot().puzzlesChecked()).as("known senders are not checked").isEqualTo(1);

        Notification toSelf = send(MALLORY, MALLORY);
        assertThat(toSelf.hasPuzzle()).isFalse();
        assertThat(deliver(toSelf)).isEqualTo(Verdict.INBOX);
        assertThat(counters.snapshot().puzzlesChecked()).as("mail to oneself is not checked").isEqualTo(1);
    }

    @Test
    void aFirstMailWithoutAPuzzleIsJunkedAndCounted() {
        Notification bare = Notification.create(MALLORY, BOB, "buy", System.currentTimeMillis(),
            List.of(new byte[] {1}), 1);
        assertThat(deliver(bare)).isEqualTo(Verdict.JUNK);
        assertThat(known.of(BOB).knows(MALLORY)).isFalse();
        assertThat(counters.snapshot().puzzlesFailed()).isEqualTo(1);
        assertThat(counters.junkedCount()).isEqualTo(1);
        // a puzzle solved for alice does not pass for bob
        Notification forAlice = send(MALLORY, ALICE);
        assertThat(deliver(forAlice.withRecipient(BOB))).isEqualTo(Verdict.JUNK);
    }

    @Test
    void anAllowedSenderNeedsNoPuzzleAndIsNotJunkedByTheOwnList() {
        allowed.block(BOB, "@epost.test");
        blocked.block(BOB, MALLORY);
        Notification bare = Notification.create(MALLORY, BOB, "hi", System.currentTimeMillis(),
            List.of(new byte[] {1}), 1);
        assertThat(deliver(bare)).isEqualTo(Verdict.INBOX);
        assertThat(counters.snapshot().puzzlesChecked()).isZero();
        allowed.unblock(BOB, "@epost.test");
        assertThat(deliver(bare)).as("blocked again once no longer allowed").isEqualTo(Verdict.JUNK);
    }

    @Test
    void theSenderSolvesAtTheBaseTheRecipientPublishesAndTheRecipientsPeerDemandsIt() {
        published.put(BOB, 2);
        Notification first = send(ALICE, BOB);
        assertThat(difficultyBits(first, ALICE, BOB)).isGreaterThanOrEqualTo(2);
        assertThat(deliver(first)).isEqualTo(Verdict.INBOX);

        // a puzzle solved against a lower base does not pass where 30 bits are demanded now (2^-30 that it would)
        Notification easy = send(MALLORY, BOB);
        published.put(BOB, 30);
        assertThat(deliver(easy)).isEqualTo(Verdict.JUNK);
        assertThat(counters.snapshot().puzzlesFailed()).isEqualTo(1);
    }

    @Test
    void aHostileBaseIsCappedBySenders() {
        // a cap of 1 bit here (8 on a peer): 36 bits would take years
        NotificationSender capped = new FirstContactSender((notification, returnPath) -> {
            sent.add(notification);
            return CompletableFuture.completedFuture(Outcome.DELIVERED);
        }, known, puzzleKeys, PuzzleDifficulty.defaults(), 1,
            new FirstContactRate(86_400_000L, 10, System::currentTimeMillis), counters, DIRECT, DIRECT);
        published.put(BOB, 36);
        capped.send(Notification.create(ALICE, BOB, "hi", System.currentTimeMillis(), List.of(new byte[] {1}), 1),
            Optional.empty()).join();
        Notification first = sent.get(sent.size() - 1);
        assertThat(difficultyBits(first, ALICE, BOB)).isGreaterThanOrEqualTo(1);
        assertThat(deliver(first)).as("bob's peer asks more than any sender pays").isEqualTo(Verdict.JUNK);
    }

    @Test
    void whereTheRulesRefuseAFirstContactWithoutAPuzzleIsRefusedNotJunked() {
        refusing.add(BOB);
        Notification bare = Notification.create(MALLORY, BOB, "buy", System.currentTimeMillis(),
            List.of(new byte[] {1}), 1);
        assertThat(deliver(bare)).isEqualTo(Verdict.REFUSE_FIRST_CONTACT);
        assertThat(counters.snapshot().puzzlesFailed()).isEqualTo(1);
        assertThat(counters.junkedCount()).isZero();
        assertThat(known.of(BOB).knows(MALLORY)).isFalse();
        Notification paid = send(ALICE, BOB);
        assertThat(deliver(paid)).as("a valid puzzle passes where refusing").isEqualTo(Verdict.INBOX);
    }

    private int difficultyBits(Notification notification, String from, String to) {
        Puzzle puzzle = Puzzle.decode(notification.puzzle());
        return Equihash.difficultyBits(PuzzleSeed.of(keys.get(from).signingPublicKey(),
            keys.get(to).signingPublicKey(), notification.id(), notification.date()), puzzle.nonce(), puzzle.indices());
    }

    @Test
    void mailSignedByTheRelayAccountCarriesAndNeedsNoPuzzle() {
        String relay = "relay-00@" + RelayAccount.DOMAIN;
        Notification external = send(relay, BOB);
        assertThat(external.hasPuzzle()).isFalse();
        assertThat(policy.verdict(BOB, Optional.of(Sender.external("someone@outside.test")), external,
            certificate(ALICE))).isEqualTo(Verdict.INBOX);
        assertThat(counters.snapshot().puzzlesChecked()).isZero();
    }
}

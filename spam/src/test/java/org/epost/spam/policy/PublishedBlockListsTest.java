package org.epost.spam.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;

/**
 * Lists bob publishes under his certified key, as carol's home peer fetches them from (in-memory) PAST: the newest
 * valid version wins; a version signed by another key, too large, naming another list or older than the one kept is
 * rejected and the kept one still enforced.
 */
class PublishedBlockListsTest {
    private static final String BOB = "bob@epost.test";
    private final OrganizationUserAuthority authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
    private final UserKeys bob = UserKeys.generate();
    private final UserKeys mallory = UserKeys.generate();
    private final Map<String, UserCertificate> certificates = Map.of(BOB, authority.issue(BOB,
        bob.signingPublicKey(), bob.encryptionPublicKey(), Long.MAX_VALUE));
    private final InMemoryBlockService blocks = new InMemoryBlockService();
    private final AtomicLong now = new AtomicLong(1_000);
    private final ListRef ref = new ListRef(BOB, "blocked");

    private PublishedBlockLists peer(int maxBytes) {
        return new PublishedBlockLists(address -> Optional.ofNullable(certificates.get(address))
            .map(CompletableFuture::completedFuture)
            .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException("no certificate"))),
            () -> Optional.of(blocks), now::get, new PublishedBlockLists.Settings(60_000, 3_600_000, maxBytes));
    }

    private static BlockList list(String... entries) {
        return BlockList.of(List.of(entries));
    }

    @Test
    void aListPublishedByBobIsFollowedFromAnotherPeerAndItsNewestVersionWins() throws Exception {
        PublishedBlockLists bobsPeer = peer(4096);
        PublishedBlockLists carolsPeer = peer(4096);
        assertThat(carolsPeer.refresh(ref).get().problem()).contains("not published");

        assertThat(bobsPeer.publish(bob, ref, list("mallory@epost.test")).get()).isZero();
        assertThat(carolsPeer.get(ref)).as("not looked up again before the refresh interval")
            .isEqualTo(BlockList.EMPTY);
        now.addAndGet(60_000);
        carolsPeer.get(ref); // the due lookup answers at once here
        assertThat(carolsPeer.get(ref).entries()).containsExactly("mallory@epost.test");

        assertThat(bobsPeer.publish(bob, ref, list("mallory@epost.test", "@spam.example")).get()).isEqualTo(1);
        PublishedBlockLists.Status status = carolsPeer.refresh(ref).get();
        assertThat(status.version()).isEqualTo(1);
        assertThat(status.list().entries()).containsExactly("@spam.example", "mallory@epost.test");
        assertThat(status.problem()).isEmpty();
        assertThat(blocks.leaseExpiry(PublishedBlockLists.keyOf(bob.signingPublicKey(), ref)).getAsLong())
            .as("each lookup that finds the list extends its lease").isEqualTo(now.get() + 3_600_000);
    }

    @Test
    void aVersionSignedByAKeyBobsCertificateDoesNotCertifyIsRejectedAndTheKeptOneEnforced() throws Exception {
        PublishedBlockLists carolsPeer = peer(4096);
        peer(4096).publish(bob, ref, list("spammer@epost.test")).get();
        assertThat(carolsPeer.refresh(ref).get().version()).isZero();

        byte[] forged = new PublishedBlockList(ref, BlockList.EMPTY).encode();
        blocks.substitute(PublishedBlockLists.keyOf(bob.signingPublicKey(), ref),
            PublicKeyBlock.sign(mallory.signing(), ref.label(), 7, forged));
        PublishedBlockLists.Status status = carolsPeer.refresh(ref).get();
        assertThat(status.problem().orElseThrow()).contains("does not certify");
        assertThat(status.version()).isZero();
        assertThat(status.list().entries()).containsExactly("spammer@epost.test");
    }

    @Test
    void aStaleVersionDoesNotRollTheListBack() throws Exception {
        PublishedBlockLists carolsPeer = peer(4096);
        PublishedBlockLists bobsPeer = peer(4096);
        bobsPeer.publish(bob, ref, list("old@epost.test")).get();
        PublicKeyBlock old = (PublicKeyBlock) blocks.block(PublishedBlockLists.keyOf(bob.signingPublicKey(), ref))
            .orElseThrow();
        bobsPeer.publish(bob, ref, list("new@epost.test")).get();
        assertThat(carolsPeer.refresh(ref).get().version()).isEqualTo(1);

        blocks.substitute(PublishedBlockLists.keyOf(bob.signingPublicKey(), ref), old); // a replica that missed v1
        PublishedBlockLists.Status status = carolsPeer.refresh(ref).get();
        assertThat(status.version()).isEqualTo(1);
        assertThat(status.list().entries()).containsExactly("new@epost.test");
        assertThat(status.problem().orElseThrow()).contains("stale version 0");
    }

    @Test
    void anOversizedListIsNeitherPublishedNorAccepted() throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add("sender" + i + "@spam.example");
        }
        BlockList big = BlockList.of(many);
        assertThatThrownBy(() -> peer(512).publish(bob, ref, big)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("peers accept at most 512");

        peer(1 << 16).publish(bob, ref, big).get(); // a publisher with a larger limit
        PublishedBlockLists.Status status = peer(512).refresh(ref).get();
        assertThat(status.version()).isEqualTo(-1);
        assertThat(status.list()).isEqualTo(BlockList.EMPTY);
        assertThat(status.problem().orElseThrow()).contains("more than the 512 accepted");
    }

    @Test
    void aPayloadNamingAnotherListOrMalformedIsRejected() throws Exception {
        blocks.plant(PublishedBlockLists.keyOf(bob.signingPublicKey(), ref), PublicKeyBlock.sign(bob.signing(),
            ref.label(), 0, new PublishedBlockList(new ListRef(BOB, "other"), list("a@b.example")).encode()));
        assertThat(peer(4096).refresh(ref).get().problem().orElseThrow()).contains("names the list " + BOB + "/other");

        blocks.plant(PublishedBlockLists.keyOf(bob.signingPublicKey(), ref), PublicKeyBlock.sign(bob.signing(),
            ref.label(), 1, new byte[] {1, 2, 3}));
        assertThat(peer(4096).refresh(ref).get().problem().orElseThrow()).contains("malformed");
    }

    @Test
    void aWithdrawnVersionEmptiesTheListAtFollowersUntilPublishedAgain() throws Exception {
        PublishedBlockLists bobsPeer = peer(4096);
        PublishedBlockLists carolsPeer = peer(4096);
        bobsPeer.publish(bob, ref, list("mallory@epost.test")).get();
        assertThat(carolsPeer.refresh(ref).get().list().entries()).containsExactly("mallory@epost.test");

        assertThat(bobsPeer.withdraw(bob, ref).get()).isEqualTo(1);
        PublishedBlockLists.Status status = carolsPeer.refresh(ref).get();
        assertThat(status.version()).isEqualTo(1);
        assertThat(status.list()).isEqualTo(BlockList.EMPTY);
        assertThat(status.problem()).contains(PublishedBlockLists.WITHDRAWN);
        assertThat(peer(4096).refresh(ref).get().problem()).as("a new follower's peer").contains(
            PublishedBlockLists.WITHDRAWN);

        assertThat(bobsPeer.publish(bob, ref, list("eve@epost.test")).get()).isEqualTo(2);
        status = carolsPeer.refresh(ref).get();
        assertThat(status.list().entries()).containsExactly("eve@epost.test");
        assertThat(status.problem()).isEmpty();
    }

    @Test
    void theWithdrawnFormatRoundTripsAndIsStrict() {
        PublishedBlockList withdrawn = PublishedBlockList.withdrawn(ref);
        assertThat(PublishedBlockList.decode(withdrawn.encode())).isEqualTo(withdrawn);
        assertThat(PublishedBlockList.decode(new PublishedBlockList(ref, BlockList.EMPTY).encode()).withdrawn())
            .as("an empty list is not a withdrawn one").isFalse();
        assertThatThrownBy(() -> new PublishedBlockList(ref, list("a@b.example"), true))
            .isInstanceOf(IllegalArgumentException.class);
        byte[] withEntries = org.epost.overlay.wire.CborRecordWriter.versioned(2, 4, 96)
            .text("epost/spam/published-list").text(BOB).text("blocked").array(0).end().end().toBytes();
        assertThatThrownBy(() -> PublishedBlockList.decode(withEntries)).isInstanceOf(SpamFormatException.class);
        byte[] formatThree = org.epost.overlay.wire.CborRecordWriter.versioned(3, 3, 96)
            .text("epost/spam/published-list").text(BOB).text("blocked").end().toBytes();
        assertThatThrownBy(() -> PublishedBlockList.decode(formatThree)).isInstanceOf(SpamFormatException.class)
            .hasMessageContaining("version 3");
    }

    @Test
    void aPublisherWithoutACertificateIsALookupProblemNotAFailure() throws Exception {
        PublishedBlockLists.Status status = peer(4096).refresh(new ListRef("nobody@epost.test", "blocked")).get();
        assertThat(status.version()).isEqualTo(-1);
        assertThat(status.problem().orElseThrow()).contains("lookup failed").contains("no certificate");
    }

    @Test
    void listNamesAndPayloadsAreCheckedAndRoundTrip() {
        assertThatThrownBy(() -> new ListRef(BOB, "no spaces")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ListRef("not-an-address", "blocked")).isInstanceOf(IllegalArgumentException.class);
        PublishedBlockList published = new PublishedBlockList(new ListRef("Bob@EPOST.test", "Sales-Team"),
            list("x@y.example"));
        assertThat(PublishedBlockList.decode(published.encode())).isEqualTo(published);
        assertThat(published.ref().toString()).isEqualTo("bob@epost.test/sales-team");
    }
}

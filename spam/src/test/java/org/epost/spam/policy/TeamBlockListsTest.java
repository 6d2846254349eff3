package org.epost.spam.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.accounts.UserKeys;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;

/**
 * A team list owned by alice and edited by bob and carol, as dave's home peer fetches it from (in-memory) PAST: the
 * merge of the parts of the editors alice's newest roster names. Hostile cases: a part from someone not named, a part
 * or roster signed by a key the certificate does not certify, an editor's stale version, an oversized part, a roster
 * naming too many editors, a part presented as another editor's or another team's.
 */
class TeamBlockListsTest {
    private static final String ALICE = "alice@epost.test";
    private static final String BOB = "bob@epost.test";
    private static final String CAROL = "carol@epost.test";
    private static final String MALLORY = "mallory@epost.test";
    private final OrganizationUserAuthority authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
    private final UserKeys alice = UserKeys.generate();
    private final UserKeys bob = UserKeys.generate();
    private final UserKeys carol = UserKeys.generate();
    private final UserKeys mallory = UserKeys.generate();
    private final Map<String, UserCertificate> certificates = Map.of(ALICE, certify(ALICE, alice), BOB,
        certify(BOB, bob), CAROL, certify(CAROL, carol), MALLORY, certify(MALLORY, mallory));
    private final InMemoryBlockService blocks = new InMemoryBlockService();
    private final AtomicLong now = new AtomicLong(1_000);
    private final ListRef team = new ListRef(ALICE, "sales");

    private UserCertificate certify(String address, UserKeys keys) {
        return authority.issue(address, keys.signingPublicKey(), keys.encryptionPublicKey(), Long.MAX_VALUE);
    }

    private TeamBlockLists peer(int maxBytes) {
        return new TeamBlockLists(address -> Optional.ofNullable(certificates.get(address))
            .map(CompletableFuture::completedFuture)
            .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException("no certificate"))),
            () -> Optional.of(blocks), now::get, new PublishedBlockLists.Settings(60_000, 3_600_000, maxBytes));
    }

    private void roster(String... editors) throws Exception {
        peer(4096).changeRoster(alice, team, r -> TeamRoster.of(team, List.of(editors))).get();
    }

    private long add(UserKeys keys, String editor, String entry) throws Exception {
        return peer(4096).changeContribution(keys, editor, team, list -> list.with(entry)).get().version();
    }

    private static TeamBlockLists.EditorStatus part(TeamBlockLists.Status status, String editor) {
        return status.editors().stream().filter(e -> e.editor().equals(editor)).findFirst().orElseThrow();
    }

    @Test
    void theNamedEditorsPartsAreMergedAndAnEditorRemovedStopsCountingAtTheNextRefresh() throws Exception {
        TeamBlockLists davesPeer = peer(4096);
        assertThat(davesPeer.refresh(team).get().problem()).contains("not published");
        roster(BOB, CAROL);
        assertThat(add(bob, BOB, "spam1@evil.example")).isZero();
        assertThat(add(bob, BOB, "@evil.example")).isEqualTo(1);
        add(carol, CAROL, "spam2@other.example");
        add(mallory, MALLORY, "bob@epost.test"); // mallory is not named: her part is never counted

        TeamBlockLists.Status status = davesPeer.refresh(team).get();
        assertThat(status.rosterVersion()).isZero();
        assertThat(status.list().entries()).containsExactly("@evil.example", "spam1@evil.example",
            "spam2@other.example");
        assertThat(status.problem()).isEmpty();
        assertThat(status.editors()).extracting(TeamBlockLists.EditorStatus::editor).containsExactly(BOB, CAROL);
        assertThat(part(status, BOB).version()).isEqualTo(1);

        peer(4096).changeRoster(alice, team, r -> r.without(BOB)).get();
        assertThat(davesPeer.get(team).entries()).as("kept until the next refresh").hasSize(3);
        now.addAndGet(60_000);
        davesPeer.get(team); // the due refresh answers at once here
        status = davesPeer.status(team);
        assertThat(status.rosterVersion()).isEqualTo(1);
        assertThat(status.list().entries()).containsExactly("spam2@other.example");
        assertThat(status.editors()).extracting(TeamBlockLists.EditorStatus::editor).containsExactly(CAROL);
    }

    @Test
    void aPartSignedByAKeyTheEditorsCertificateDoesNotCertifyIsRejectedAndTheKeptOneCounts() throws Exception {
        roster(BOB);
        add(bob, BOB, "kept@evil.example");
        TeamBlockLists davesPeer = peer(4096);
        davesPeer.refresh(team).get();

        byte[] forged = new TeamContribution(team, BOB, BlockList.of(List.of(ALICE))).encode();
        blocks.substitute(SignedListBlocks.keyOf(bob.signingPublicKey(), TeamContribution.label(team)),
            PublicKeyBlock.sign(mallory.signing(), TeamContribution.label(team), 9, forged));
        TeamBlockLists.Status status = davesPeer.refresh(team).get();
        assertThat(part(status, BOB).problem().orElseThrow()).contains("does not certify");
        assertThat(part(status, BOB).version()).isZero();
        assertThat(status.list().entries()).containsExactly("kept@evil.example");
    }

    @Test
    void aForgedRosterIsRejectedAndTheKeptRosterStillDecidesWhoCounts() throws Exception {
        roster(BOB);
        add(bob, BOB, "a@evil.example");
        add(mallory, MALLORY, ALICE);
        TeamBlockLists davesPeer = peer(4096);
        davesPeer.refresh(team).get();

        byte[] naming = TeamRoster.of(team, List.of(BOB, MALLORY)).encode();
        blocks.substitute(SignedListBlocks.keyOf(alice.signingPublicKey(), TeamRoster.label(team)),
            PublicKeyBlock.sign(mallory.signing(), TeamRoster.label(team), 5, naming));
        TeamBlockLists.Status status = davesPeer.refresh(team).get();
        assertThat(status.problem().orElseThrow()).contains("roster rejected").contains("does not certify");
        assertThat(status.rosterVersion()).isZero();
        assertThat(status.list().entries()).containsExactly("a@evil.example");
    }

    @Test
    void anEditorsStaleVersionDoesNotRollTheirPartBack() throws Exception {
        roster(BOB);
        add(bob, BOB, "old@evil.example");
        PublicKeyBlock old = (PublicKeyBlock) blocks.block(SignedListBlocks.keyOf(bob.signingPublicKey(),
            TeamContribution.label(team))).orElseThrow();
        peer(4096).changeContribution(bob, BOB, team, list -> BlockList.of(List.of("new@evil.example"))).get();
        TeamBlockLists davesPeer = peer(4096);
        assertThat(davesPeer.refresh(team).get().list().entries()).containsExactly("new@evil.example");

        blocks.substitute(SignedListBlocks.keyOf(bob.signingPublicKey(), TeamContribution.label(team)), old);
        TeamBlockLists.Status status = davesPeer.refresh(team).get();
        assertThat(part(status, BOB).version()).isEqualTo(1);
        assertThat(part(status, BOB).problem().orElseThrow()).contains("stale version 0");
        assertThat(status.list().entries()).containsExactly("new@evil.example");
    }

    @Test
    void anOversizedPartIsNeitherPublishedNorAccepted() throws Exception {
        roster(BOB);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add("sender" + i + "@spam.example");
        }
        CompletableFuture<?> tooBig = peer(512).changeContribution(bob, BOB, team, list -> BlockList.of(many));
        assertThatThrownBy(tooBig::get).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 512");

        peer(1 << 16).changeContribution(bob, BOB, team, list -> BlockList.of(many)).get(); // a larger limit
        TeamBlockLists.Status status = peer(512).refresh(team).get();
        assertThat(part(status, BOB).problem().orElseThrow()).contains("more than the 512 accepted");
        assertThat(status.list()).isEqualTo(BlockList.EMPTY);
    }

    @Test
    void aPartPresentedAsAnotherEditorsOrAnotherTeamsIsRejected() throws Exception {
        roster(BOB, CAROL);
        String label = TeamContribution.label(team);
        blocks.plant(SignedListBlocks.keyOf(bob.signingPublicKey(), label), PublicKeyBlock.sign(bob.signing(),
            label, 0, new TeamContribution(team, CAROL, BlockList.of(List.of("x@evil.example"))).encode()));
        blocks.plant(SignedListBlocks.keyOf(carol.signingPublicKey(), label), PublicKeyBlock.sign(carol.signing(),
            label, 0, new TeamContribution(new ListRef(ALICE, "other"), CAROL, BlockList.of(List.of(
                "y@evil.example"))).encode()));
        TeamBlockLists.Status status = peer(4096).refresh(team).get();
        assertThat(part(status, BOB).problem().orElseThrow()).contains("carol@epost.test's part of");
        assertThat(part(status, CAROL).problem().orElseThrow()).contains("part of alice@epost.test/other");
        assertThat(status.list()).isEqualTo(BlockList.EMPTY);
    }

    @Test
    void aRosterNamingTooManyEditorsIsNeitherBuiltNorDecoded() throws Exception {
        List<String> editors = new ArrayList<>();
        for (int i = 0; i <= TeamRoster.MAX_EDITORS; i++) {
            editors.add("editor" + i + "@epost.test");
        }
        assertThatThrownBy(() -> TeamRoster.of(team, editors)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at most 32 editors");
        CborRecordWriter out = CborRecordWriter.versioned(1, 4, 2048).text("epost/spam/team-roster").text(ALICE)
            .text("sales");
        byte[] tooMany = out.list(editors, out::text).end().toBytes();
        assertThatThrownBy(() -> TeamRoster.decode(tooMany)).isInstanceOf(SpamFormatException.class);

        String label = TeamRoster.label(team);
        blocks.plant(SignedListBlocks.keyOf(alice.signingPublicKey(), label), PublicKeyBlock.sign(alice.signing(),
            label, 0, tooMany));
        TeamBlockLists.Status status = peer(1 << 16).refresh(team).get();
        assertThat(status.problem().orElseThrow()).contains("roster rejected").contains("malformed");
        assertThat(status.rosterVersion()).isEqualTo(-1);
    }

    @Test
    void theMergeIsBoundedAndLeavesOutWholeEditorsInAddressOrder() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < BlockList.MAX_ENTRIES - 1; i++) {
            many.add("s" + i + "@spam.example");
        }
        TeamRoster roster = TeamRoster.of(team, List.of(BOB, CAROL, ALICE));
        TeamRoster.Merged merged = roster.merge(Map.of(ALICE, BlockList.of(many),
            BOB, BlockList.of(List.of("b1@x.example", "b2@x.example")), CAROL, BlockList.of(List.of(
                "c@x.example")), MALLORY, BlockList.of(List.of("m@x.example"))));
        assertThat(merged.list().entries()).hasSize(BlockList.MAX_ENTRIES).contains("c@x.example")
            .doesNotContain("b1@x.example", "m@x.example");
        assertThat(merged.problem().orElseThrow()).contains("left out the entries of [" + BOB + "]");
    }

    @Test
    void rostersAndContributionsRoundTripCanonically() {
        TeamRoster roster = TeamRoster.of(new ListRef("Alice@EPOST.test", "Sales"), List.of("Bob@epost.test", BOB));
        assertThat(roster.editors()).containsExactly(BOB);
        assertThat(TeamRoster.decode(roster.encode())).isEqualTo(roster);
        TeamContribution part = new TeamContribution(team, BOB, BlockList.of(List.of("@evil.example")));
        assertThat(TeamContribution.decode(part.encode())).isEqualTo(part);
        assertThat(TeamContribution.label(team)).startsWith(TeamContribution.LABEL_PREFIX).hasSize(
            TeamContribution.LABEL_PREFIX.length() + 40);
        assertThatThrownBy(() -> TeamContribution.decode(roster.encode())).isInstanceOf(SpamFormatException.class);
        byte[] formatTwo = CborRecordWriter.versioned(2, 4, 96).text("epost/spam/team-roster").text(ALICE)
            .text("sales").array(0).end().end().toBytes();
        assertThatThrownBy(() -> TeamRoster.decode(formatTwo)).isInstanceOf(SpamFormatException.class)
            .hasMessageContaining("version 2");
    }
}

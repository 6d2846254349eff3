package org.epost.spam.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.post.accounts.OrganizationUserAuthority;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.Test;

/** The organization list in (in-memory) PAST: published by the authority, seen by another peer, forgeries ignored. */
class OrganizationBlockListTest {
    private final OrganizationUserAuthority authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
    private final InMemoryBlockService blocks = new InMemoryBlockService();
    private final AtomicLong now = new AtomicLong(1_000);

    private OrganizationBlockList peer() {
        return new OrganizationBlockList(authority.publicKey(), () -> Optional.of(blocks), now::get, 60_000, 3_600_000);
    }

    @Test
    void aListPublishedOnOnePeerIsEnforcedByAnotherAfterItsRefresh() throws Exception {
        OrganizationBlockList peer1 = peer();
        OrganizationBlockList peer3 = peer();
        assertThat(peer3.get()).isEqualTo(BlockList.EMPTY); // starts a first lookup: nothing published yet

        peer1.publish(authority, list -> list.with("@spam.example")).get();
        assertThat(peer1.get().entries()).containsExactly("@spam.example");
        assertThat(peer3.get()).as("not looked up again before the refresh interval").isEqualTo(BlockList.EMPTY);

        now.addAndGet(60_000);
        peer3.get();
        assertThat(peer3.get().entries()).containsExactly("@spam.example");
        assertThat(peer3.version()).isZero();

        peer3.publish(authority, list -> list.with("mallory@epost.test")).get();
        assertThat(peer1.refresh().get().entries()).containsExactly("@spam.example", "mallory@epost.test");
        assertThat(peer1.version()).isEqualTo(1);
    }

    @Test
    void aDiscardDomainPublishedOnOnePeerKeepsTheListAndIsSeenByAnother() throws Exception {
        OrganizationBlockList peer1 = peer();
        peer1.publish(authority, list -> list.with("@spam.example")).get();
        peer1.publishPolicy(authority, policy -> policy.discarding("epost.test", true)).get();

        OrganizationSpamPolicy seen = peer().refreshPolicy().get();
        assertThat(seen.blocked().entries()).containsExactly("@spam.example");
        assertThat(seen.discardsFor("bob@epost.test")).isTrue();
        assertThat(peer1.version()).isEqualTo(1);
    }

    @Test
    void aListSignedByAnotherKeyOrUndecodableIsIgnored() throws Exception {
        OrganizationUserAuthority forger = OrganizationUserAuthority.of(Signatures.generateKeyPair());
        BlockKey key = new BlockKey(PublicKeyBlock.handleFor(authority.publicKey(), OrganizationBlockList.LABEL),
            BlockKind.PUBLIC_KEY);
        blocks.plant(key, forger.signBlock(OrganizationBlockList.LABEL, 5, BlockList.of(java.util.List.of("a@b"))
            .encode()));
        OrganizationBlockList peer = peer();
        assertThat(peer.refresh().get()).isEqualTo(BlockList.EMPTY);

        blocks.plant(key, authority.signBlock(OrganizationBlockList.LABEL, 6, new byte[] {1, 2, 3}));
        assertThat(peer.refresh().get()).isEqualTo(BlockList.EMPTY);
        assertThat(peer.version()).isEqualTo(-1);
    }

    @Test
    void withoutPostServicesTheListIsEmptyAndCannotBePublished() {
        OrganizationBlockList idle = new OrganizationBlockList(authority.publicKey(), Optional::empty, now::get, 1, 1);
        assertThat(idle.get()).isEqualTo(BlockList.EMPTY);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> idle.publish(authority, l -> l))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("POST does not run");
    }
}

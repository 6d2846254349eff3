package org.epost.peer.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.peer.directory.MovedUsers;
import org.epost.post.lease.LeaseReference;
import org.junit.jupiter.api.Test;

class HomedAccountReferencesTest {
    @Test
    void aUserReHomedElsewhereIsLeftOutOfTheRefreshAndTheMandatesWhateverWasTracked() {
        MovedUsers moved = new MovedUsers();
        HomedAccountReferences homed = new HomedAccountReferences(moved);
        BlockKey alices = new BlockKey(Id.hash("alice"), BlockKind.CONTENT_HASH);
        BlockKey bobs = new BlockKey(Id.hash("bob"), BlockKind.CONTENT_HASH);
        homed.track("alice@epost.test", List.of(alices));
        homed.track("Bob@epost.test", List.of(bobs));

        moved.moved("bob@epost.test", "127.0.0.1:7652");

        assertThat(homed.byAddress()).containsOnlyKeys("alice@epost.test");
        assertThat(homed.accounts()).isEqualTo(1);
        assertThat(homed.references()).containsExactly(LeaseReference.of(alices));
    }
}

package org.epost.peer.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.post.lease.LeaseReference;
import org.epost.post.lease.ReferenceSource;
import org.junit.jupiter.api.Test;

class ReferenceRegistryTest {
    private static final BlockKey LOG_HEAD = new BlockKey(Id.hash("log head"), BlockKind.PUBLIC_KEY);
    private static final BlockKey CLUSTER = new BlockKey(Id.hash("cluster"), BlockKind.CONTENT_HASH);

    private final ReferenceRegistry registry = new ReferenceRegistry();

    @Test
    void answersTheUnionOfItsSourcesUntilOneIsUnregistered() {
        ReferenceSource logs = ReferenceSource.ofBlocks(() -> List.of(LOG_HEAD, CLUSTER));
        ReferenceSource parts = ReferenceSource.ofBlocks(() -> List.of(CLUSTER));
        registry.register(logs);
        registry.register(parts);
        registry.register(logs);

        assertThat(registry.size()).isEqualTo(2);
        assertThat(registry.references()).containsExactly(LeaseReference.of(LOG_HEAD), LeaseReference.of(CLUSTER));
        assertThat(registry.unregister(logs)).isTrue();
        assertThat(registry.unregister(logs)).isFalse();
        assertThat(registry.references()).containsExactly(LeaseReference.of(CLUSTER));
    }

    @Test
    void aSourceThatThrowsIsSkippedAndCountedWhileTheOthersAreStillAnswered() {
        registry.register(() -> {
            throw new IllegalStateException("mailbox index unreadable");
        });
        registry.register(ReferenceSource.ofBlocks(() -> List.of(LOG_HEAD)));

        assertThat(registry.references()).containsExactly(LeaseReference.of(LOG_HEAD));
        assertThat(registry.sourceFailures()).isEqualTo(1);
    }
}

package org.epost.post.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.store.PartReference;
import org.epost.post.store.PartStore;
import org.epost.post.store.PartStoreConfig;
import org.epost.post.store.PartUnavailableException;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.Test;

class WholeMessageStoreTest {
    private final InMemoryBlockService dht = new InMemoryBlockService();
    private final PartStore parts = new PartStore(dht, new ConvergentCipher(Optional.empty()),
        PartStoreConfig.defaults().withMaxBlockBytes(140_000), new java.security.SecureRandom());
    private final WholeMessageStore store = new WholeMessageStore(parts);

    @Test
    void aMessageIsReadBackByteForByteAsOnePart() throws Exception {
        byte[] message = "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8);

        MessageReference reference = store.store(message, Long.MAX_VALUE).get();

        assertThat(reference.size()).isEqualTo(message.length);
        assertThat(store.fetch(reference).get()).isEqualTo(message);
        assertThat(store.parts(reference).get()).containsExactly(reference.top());
    }

    @Test
    void aMessageLargerThanABlockIsChunkedAndReadBack() throws Exception {
        byte[] message = Seeded.bytes(300 * 1024, 7);

        MessageReference reference = store.store(message, Long.MAX_VALUE).get();

        assertThat(reference.top().layout()).isEqualTo(PartReference.Layout.MANIFEST);
        assertThat(store.fetch(reference).get()).isEqualTo(message);
    }

    @Test
    void identicalMessagesAboveThePaddingThresholdAreStoredOnce() throws Exception {
        byte[] message = Seeded.bytes(20 * 1024, 9);

        MessageReference first = store.store(message, Long.MAX_VALUE).get();
        MessageReference second = store.store(message.clone(), Long.MAX_VALUE).get();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void aMissingBlockFailsTheFetch() throws Exception {
        MessageReference reference = store.store("Subject: x\r\n\r\ny".getBytes(StandardCharsets.UTF_8),
            Long.MAX_VALUE).get();
        dht.remove(new BlockKey(reference.top().handle(), BlockKind.CONTENT_HASH));

        assertThatThrownBy(() -> store.fetch(reference).get())
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(PartUnavailableException.class);
    }

    @Test
    void aReferenceWhoseSizeDisagreesWithItsPartIsRefused() throws Exception {
        MessageReference reference = store.store("Subject: x\r\n\r\ny".getBytes(StandardCharsets.UTF_8),
            Long.MAX_VALUE).get();
        MessageReference lying = new MessageReference(reference.top(), reference.size() + 1);

        assertThatThrownBy(() -> store.fetch(lying).get())
            .hasCauseInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("whole-message reference");
    }
}

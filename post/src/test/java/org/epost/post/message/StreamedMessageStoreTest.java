package org.epost.post.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.post.message.MimeSamples.ascii;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.ContentHashBlock;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.store.PartInsertException;
import org.epost.post.store.PartReference;
import org.epost.post.store.PartStore;
import org.epost.post.store.PartStoreConfig;
import org.epost.post.store.RandomAccessBytes;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.Test;

/**
 * A message stored while read by position (as a spilled SMTP message is) gives the same skeleton and the same block
 * handles as the same bytes stored from an array, comes back byte for byte, and is never read more than a chunk's
 * worth of plaintext at a time.
 */
class StreamedMessageStoreTest {
    private static final long LEASE = 1_000_000;
    /** The most read at once: a part that fits in one 1 MiB block is read whole, larger ones a chunk at a time. */
    private static final int CHUNK_PLAINTEXT = 1 << 20;

    /** The bytes of a message readable only by position, as a file is: no array to take whole. */
    private static final class OnlyByPosition implements RandomAccessBytes {
        private final byte[] bytes;
        final AtomicInteger largestRead = new AtomicInteger();
        final AtomicLong bytesRead = new AtomicLong();

        OnlyByPosition(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public byte[] read(long position, int length) {
            largestRead.accumulateAndGet(length, Math::max);
            bytesRead.addAndGet(length);
            return Arrays.copyOfRange(bytes, (int) position, Math.addExact((int) position, length));
        }
    }

    private record Stored(InMemoryBlockService blocks, MimeMessageStore store, MessageReference reference) {
    }

    private static Stored store(RandomAccessBytes message, Optional<byte[]> secret) {
        InMemoryBlockService blocks = new InMemoryBlockService();
        MimeMessageStore store = new MimeMessageStore(new PartStore(blocks, new ConvergentCipher(secret)),
            MimeMessageStore.Config.defaults());
        return new Stored(blocks, store, store.store(message, LEASE).join());
    }

    /** Stores {@code message} both ways and checks they agree; answers the streamed source for its read figures. */
    private static OnlyByPosition assertSameBothWays(byte[] message, Optional<byte[]> secret) {
        OnlyByPosition source = new OnlyByPosition(message);
        Stored whole = store(RandomAccessBytes.of(message), secret);
        Stored streamed = store(source, secret);

        MessageSkeleton wholeSkeleton = whole.store().skeleton(whole.reference()).join();
        MessageSkeleton streamedSkeleton = streamed.store().skeleton(streamed.reference()).join();
        assertThat(streamedSkeleton.encode()).as("the same skeleton").isEqualTo(wholeSkeleton.encode());
        assertThat(encoded(streamedSkeleton.parts())).as("the same parts: handles and keys")
            .isEqualTo(encoded(wholeSkeleton.parts()));
        assertThat(streamed.reference().size()).isEqualTo(message.length);
        assertThat(streamed.store().fetch(streamed.reference()).join()).isEqualTo(message);
        for (PartReference part : streamedSkeleton.parts()) {
            assertThat(whole.store().part(part).join()).as("the streamed parts' blocks are the ones the whole made")
                .hasSize((int) part.size());
        }
        return source;
    }

    private static List<String> encoded(List<PartReference> parts) {
        return parts.stream().map(p -> java.util.HexFormat.of().formatHex(p.encode())).toList();
    }

    @Test
    void aMessageWithLargeAttachmentsIsStoredAsTheSameBlocksWhenStreamed() {
        byte[] big = Seeded.bytes(5_000_000, 3);
        byte[] message = MimeSamples.withAttachment("alice@epost.test", "bob@epost.test", "big", "see attached", big);

        OnlyByPosition source = assertSameBothWays(message, Optional.empty());

        assertThat(source.largestRead.get()).as("never more than one block's worth read at once")
            .isLessThanOrEqualTo(CHUNK_PLAINTEXT);
    }

    @Test
    void aKeyedConvergenceGivesTheSameBlocksWhenStreamed() {
        byte[] message = MimeSamples.withAttachment("alice@epost.test", "bob@epost.test", "keyed", "text",
            Seeded.bytes(3_000_000, 4));
        assertSameBothWays(message, Optional.of(Seeded.bytes(32, 5)));
    }

    @Test
    void aLargeSinglePartMessageAndALargeInlineRunAreTheSameBlocksWhenStreamed() {
        StringBuilder text = new StringBuilder("From: a@epost.test\r\nSubject: long\r\n\r\n");
        for (int i = 0; i < 60_000; i++) {
            text.append("line ").append(i).append(" of a long plain message, with no MIME structure\r\n");
        }
        assertSameBothWays(ascii(text.toString()), Optional.empty());
        // a multipart without its closing delimiter: one leaf, as large as the body
        assertSameBothWays(ascii("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\n"
            + text + "\r\n--x\r\n\r\nno close"), Optional.empty());
    }

    @Test
    void randomAndDamagedMessagesAreTheSameBlocksWhenStreamed() {
        Random random = new Random(42);
        for (int i = 0; i < 30; i++) {
            byte[] message = MimeSamples.randomMessage(random, new ArrayList<>());
            assertSameBothWays(message, Optional.empty());
            assertSameBothWays(MimeSamples.garble(random, message), Optional.empty());
        }
        assertSameBothWays(new byte[0], Optional.empty());
        assertSameBothWays(ascii("no header at all, one line"), Optional.empty());
    }

    @Test
    void aWholeMessageStoreStoresTheSameBlocksWhenStreamed() {
        byte[] message = MimeSamples.withAttachment("alice@epost.test", "bob@epost.test", "whole", "text",
            Seeded.bytes(2_500_000, 6));
        InMemoryBlockService blocks = new InMemoryBlockService();
        WholeMessageStore store = new WholeMessageStore(new PartStore(blocks, new ConvergentCipher(Optional.empty())));
        OnlyByPosition source = new OnlyByPosition(message);

        MessageReference streamed = store.store(source, LEASE).join();
        MessageReference whole = store.store(message, LEASE).join();

        assertThat(streamed.encode()).isEqualTo(whole.encode());
        assertThat(store.fetch(streamed).join()).isEqualTo(message);
        assertThat(source.largestRead.get()).isLessThanOrEqualTo(CHUNK_PLAINTEXT);
    }

    @Test
    void aSourceThatCannotBeReadFailsTheStoreWithItsError() {
        RandomAccessBytes broken = new RandomAccessBytes() {
            @Override
            public long length() {
                return 3_000_000;
            }

            @Override
            public byte[] read(long position, int length) {
                throw new java.io.UncheckedIOException(new java.io.IOException("disk gone"));
            }
        };
        MimeMessageStore store = new MimeMessageStore(new PartStore(new InMemoryBlockService(),
            new ConvergentCipher(Optional.empty()), PartStoreConfig.defaults(), Seeded.secureRandom(1)),
            MimeMessageStore.Config.defaults());

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> store.store(broken, LEASE).join());
        assertThat(failure).hasRootCauseMessage("disk gone");
    }

    @Test
    void aStreamedChunkWhoseInsertTimesOutIsInsertedAgainAndTheMessageStored() {
        byte[] message = attachmentOf(7);
        InMemoryBlockService blocks = new InMemoryBlockService();
        Map<BlockKey, Integer> attempts = new ConcurrentHashMap<>();
        // every chunk of the attachment (streamed from the source) times out twice, as on a loaded ring, then is stored
        blocks.answerInserts(block -> block instanceof ContentHashBlock chunk && chunk.content().length > 100_000
            && attempts.merge(block.key(), 1, Integer::sum) <= 2
            ? InMemoryBlockService.result(InsertResult.Status.TIMEOUT, "2 of 3 holders answered in time") : null);
        MimeMessageStore store = storeOver(blocks);

        MessageReference reference = store.store(new OnlyByPosition(message), LEASE).join();

        assertThat(store.fetch(reference).join()).isEqualTo(message);
        assertThat(attempts.values()).hasSizeGreaterThanOrEqualTo(3).allSatisfy(n -> assertThat(n).isEqualTo(3));
    }

    @Test
    void aStreamedChunkThatAlwaysTimesOutFailsTheStoreAfterThreeAttempts() {
        byte[] message = attachmentOf(8);
        InMemoryBlockService blocks = new InMemoryBlockService();
        Map<BlockKey, Integer> attempts = new ConcurrentHashMap<>();
        blocks.answerInserts(block -> {
            attempts.merge(block.key(), 1, Integer::sum);
            return InMemoryBlockService.result(InsertResult.Status.TIMEOUT, "no holder answered");
        });
        MimeMessageStore store = storeOver(blocks);

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
            () -> store.store(new OnlyByPosition(message), LEASE).join());

        assertThat(failure).hasRootCauseInstanceOf(PartInsertException.class).hasMessageContaining("TIMEOUT");
        assertThat(attempts.values()).isNotEmpty().allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(3))
            .contains(3);
    }

    /** A message with a 3 MB attachment of seeded bytes: one part streamed in chunks. */
    private static byte[] attachmentOf(long seed) {
        return MimeSamples.withAttachment("alice@epost.test", "bob@epost.test", "large", "text",
            Seeded.bytes(3_000_000, seed));
    }

    private static MimeMessageStore storeOver(InMemoryBlockService blocks) {
        return new MimeMessageStore(new PartStore(blocks, new ConvergentCipher(Optional.empty())),
            MimeMessageStore.Config.defaults());
    }
}

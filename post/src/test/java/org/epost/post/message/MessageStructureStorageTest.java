package org.epost.post.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.epost.post.message.MimeSamples.ascii;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.epost.post.crypto.ConvergentCipher;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.RecordEncodings;
import org.epost.post.store.PartStore;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.Test;

/** The structure a {@link StructureIndexer} describes travels in the skeleton, and only where it saves fetches. */
class MessageStructureStorageTest {
    private static final long LEASE = 1_000_000;

    private final InMemoryBlockService blocks = new InMemoryBlockService();
    private final PartStore parts = new PartStore(blocks, new ConvergentCipher(Optional.empty()));
    private final AtomicInteger described = new AtomicInteger();
    /** Describes a message as "structure of N bytes" (deterministic, as the contract asks). */
    private final StructureIndexer indexer = message -> {
        described.incrementAndGet();
        return Optional.of(("structure of " + message.length + " bytes").getBytes(StandardCharsets.US_ASCII));
    };
    private final MimeMessageStore store = new MimeMessageStore(parts, MimeMessageStore.Config.defaults(), indexer);

    @Test
    void aMessageWithPartsOfItsOwnCarriesItsStructureInTheSkeleton() {
        byte[] message = MimeSamples.withAttachment("alice@epost.test", "bob@epost.test", "report", "see attached",
            Seeded.bytes(100_000, 1));
        MessageReference reference = store.store(message, LEASE).join();

        MessageSkeleton skeleton = store.skeleton(reference).join();
        assertThat(skeleton.parts()).hasSize(1);
        assertThat(new String(skeleton.structure().orElseThrow(), StandardCharsets.US_ASCII))
            .isEqualTo("structure of " + message.length + " bytes");
        assertThat(store.fetch(reference).join()).isEqualTo(message);
    }

    @Test
    void aMessageHeldWhollyByItsSkeletonIsNotDescribed() {
        byte[] message = ascii("From: alice@epost.test\r\nSubject: hi\r\n\r\nHello Bob.\r\n");
        MessageReference reference = store.store(message, LEASE).join();

        assertThat(store.skeleton(reference).join().structure()).isEmpty();
        assertThat(described).hasValue(0);
    }

    @Test
    void theSameMessageStoredTwiceHasTheSamePartsAndStructure() {
        byte[] message = MimeSamples.withAttachment("alice@epost.test", "bob@epost.test", "same", "text",
            Seeded.bytes(50_000, 2));
        MessageReference first = store.store(message, LEASE).join();
        MessageReference second = new MimeMessageStore(new PartStore(blocks, new ConvergentCipher(Optional.empty())),
            MimeMessageStore.Config.defaults(), indexer).store(message, LEASE).join();

        // (a skeleton this small is padded, so never the same block: only parts of 4 KiB and more are shared)
        MessageSkeleton one = store.skeleton(first).join();
        MessageSkeleton other = store.skeleton(second).join();
        assertThat(other.parts()).isEqualTo(one.parts());
        assertThat(other.structure().orElseThrow()).isEqualTo(one.structure().orElseThrow());
    }

    @Test
    void aFailingIndexerCostsTheStructureNeverTheMessage() {
        MimeMessageStore failing = new MimeMessageStore(parts, MimeMessageStore.Config.defaults(), message -> {
            throw new IllegalStateException("indexer broke");
        });
        byte[] message = MimeSamples.withAttachment("alice@epost.test", "bob@epost.test", "x", "y",
            Seeded.bytes(40_000, 3));
        MessageReference reference = failing.store(message, LEASE).join();

        assertThat(failing.skeleton(reference).join().structure()).isEmpty();
        assertThat(failing.fetch(reference).join()).isEqualTo(message);
    }

    @Test
    void aStructureThatWouldOverflowTheSkeletonIsLeftOut() {
        MimeMessageStore.Config small = new MimeMessageStore.Config(16 * 1024, 2048, 2);
        MimeMessageStore verbose = new MimeMessageStore(parts, small, message -> Optional.of(new byte[4096]));
        byte[] message = MimeSamples.withAttachment("alice@epost.test", "bob@epost.test", "x", "y",
            Seeded.bytes(40_000, 4));
        MessageReference reference = verbose.store(message, LEASE).join();

        assertThat(verbose.skeleton(reference).join().structure()).isEmpty();
        assertThat(verbose.fetch(reference).join()).isEqualTo(message);
    }

    @Test
    void skeletonsWithAStructureDecodeOnlyFromTheirCanonicalEncoding() {
        MessageSkeleton skeleton = new MessageSkeleton(List.of(new MessageSkeleton.Literal(ascii("head"))),
            Optional.of(ascii("shape")));
        byte[] encoded = skeleton.encode();
        assertThat(MessageSkeleton.decode(encoded, 1 << 20).structure()).hasValueSatisfying(
            structure -> assertThat(structure).isEqualTo(ascii("shape")));
        // [1, [[1, h'head']], [h'shape']] and, without a structure, [1, [[1, h'head']], []]
        assertThat(encoded).isEqualTo(new CborRecordWriter(32).record(1, 2).array(1).array(2).number(1)
            .bytes(ascii("head")).end().end().array(1).bytes(ascii("shape")).end().end().toBytes());
        byte[] without = new MessageSkeleton(skeleton.segments()).encode();
        assertThat(without).isEqualTo(new CborRecordWriter(32).record(1, 2).array(1).array(2).number(1)
            .bytes(ascii("head")).end().end().array(0).end().end().toBytes());
        assertThat(MessageSkeleton.decode(without, 1 << 20).structure()).isEmpty();

        byte[] emptyStructure = new CborRecordWriter(32).record(1, 2).array(1).array(2).number(1)
            .bytes(ascii("head")).end().end().array(1).bytes(new byte[0]).end().end().toBytes();
        byte[] twoStructures = new CborRecordWriter(32).record(1, 2).array(1).array(2).number(1)
            .bytes(ascii("head")).end().end().array(2).bytes(ascii("a")).bytes(ascii("b")).end().end().toBytes();
        byte[] emptyLiteral = new CborRecordWriter(32).record(1, 2).array(1).array(2).number(1)
            .bytes(new byte[0]).end().end().array(0).end().end().toBytes();
        byte[] adjacentLiterals = new CborRecordWriter(32).record(1, 2).array(2).array(2).number(1)
            .bytes(ascii("a")).end().array(2).number(1).bytes(ascii("b")).end().end().array(0).end().end().toBytes();
        byte[] unknownKind = new CborRecordWriter(32).record(1, 2).array(1).array(2).number(3)
            .bytes(ascii("head")).end().end().array(0).end().end().toBytes();
        byte[] badPart = new CborRecordWriter(32).record(1, 2).array(1).array(2).number(2)
            .bytes(ascii("not a reference")).end().end().array(0).end().end().toBytes();
        List<byte[]> bad = new java.util.ArrayList<>(RecordEncodings.truncations(encoded));
        bad.addAll(RecordEncodings.garbage());
        bad.addAll(List.of(RecordEncodings.trailing(encoded), RecordEncodings.withVersion(encoded, 2),
            RecordEncodings.withVersion(without, 0), RecordEncodings.nonMinimalVersion(encoded),
            RecordEncodings.indefiniteLength(encoded), emptyStructure, twoStructures, emptyLiteral, adjacentLiterals,
            unknownKind, badPart));
        for (byte[] malformed : bad) {
            assertThat(catchThrowable(() -> MessageSkeleton.decode(malformed, 1 << 20))).as("%d bytes", malformed.length)
                .isInstanceOf(MalformedSkeletonException.class);
        }
        assertThat(catchThrowable(() -> MessageSkeleton.decode(RecordEncodings.withVersion(encoded, 2), 1 << 20)))
            .hasMessageContaining("version 2");
        assertThat(catchThrowable(() -> MessageSkeleton.decode(RecordEncodings.nonMinimalVersion(encoded), 1 << 20)))
            .hasMessageContaining("canonical");
        assertThat(catchThrowable(() -> MessageSkeleton.decode(encoded, encoded.length - 1)))
            .isInstanceOf(MalformedSkeletonException.class).hasMessageContaining("allowed");
        assertThat(catchThrowable(() -> new MessageSkeleton(List.of(), Optional.of(new byte[0]))))
            .isInstanceOf(IllegalArgumentException.class);
    }
}

package org.epost.post.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.epost.post.message.MimeSamples.ascii;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.RecordEncodings;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.store.CorruptPartException;
import org.epost.post.store.PartReference;
import org.epost.post.store.PartStore;
import org.epost.post.store.PartStoreConfig;
import org.epost.post.store.RecentParts;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.Test;

class MimeMessageStoreTest {
    private static final long LEASE = 1_000_000;

    private final InMemoryBlockService blocks = new InMemoryBlockService();
    private final PartStore parts = new PartStore(blocks, new ConvergentCipher(Optional.empty()));
    private final MimeMessageStore store = new MimeMessageStore(parts, MimeMessageStore.Config.defaults());

    private byte[] roundTrip(MimeMessageStore messages, byte[] message) {
        MessageReference reference = messages.store(message, LEASE).join();
        assertThat(reference.size()).isEqualTo(message.length);
        return messages.fetch(reference).join();
    }

    @Test
    void aSmallPlainMessageIsOneInlineSkeleton() {
        byte[] message = ascii("From: alice@epost.test\r\nSubject: hi\r\n\r\nHello Bob.\r\n");
        MessageReference reference = store.store(message, LEASE).join();

        assertThat(store.fetch(reference).join()).isEqualTo(message);
        assertThat(store.parts(reference).join()).containsExactly(reference.top());
        assertThat(reference.top().padded()).as("a short skeleton is padded, never deduplicated").isTrue();
    }

    @Test
    void anAttachmentIsStoredAsItsOwnPartAndTheMessageComesBackByteForByte() {
        byte[] attachment = Seeded.bytes(200_000, 1);
        byte[] message = MimeSamples.withAttachment("alice@epost.test", "bob@epost.test", "report", "see attached",
            attachment);
        MessageReference reference = store.store(message, LEASE).join();

        assertThat(store.fetch(reference).join()).isEqualTo(message);
        List<PartReference> all = store.parts(reference).join();
        assertThat(all).hasSize(2);
        assertThat(all.get(1).size()).as("the raw base64 body of the attachment")
            .isEqualTo(MimeSamples.base64Lines(attachment).length() - 2);
        assertThat(all.get(1).padded()).isFalse();
    }

    @Test
    void theSameAttachmentInTwoMessagesFromDifferentSendersIsTheSameBlocks() {
        byte[] attachment = Seeded.bytes(3_000_000, 7);
        byte[] first = MimeSamples.withAttachment("alice@epost.test", "bob@epost.test", "one", "first", attachment);
        byte[] second = MimeSamples.withAttachment("carol@other.test", "dave@epost.test", "two", "second text",
            attachment);
        MimeMessageStore other = new MimeMessageStore(new PartStore(blocks, new ConvergentCipher(Optional.empty())),
            MimeMessageStore.Config.defaults());

        MessageReference a = store.store(first, LEASE).join();
        int blocksAfterFirst = blocks.size();
        long bytesAfterFirst = blocks.storedBytes();
        MessageReference b = other.store(second, LEASE).join();

        PartReference attachmentOfA = store.parts(a).join().get(1);
        PartReference attachmentOfB = other.parts(b).join().get(1);
        assertThat(attachmentOfB).isEqualTo(attachmentOfA);
        assertThat(blocks.size()).as("only the second skeleton is new").isEqualTo(blocksAfterFirst + 1);
        assertThat(blocks.storedBytes() - bytesAfterFirst).isLessThan(10_000);
        assertThat(other.fetch(b).join()).isEqualTo(second);
        assertThat(store.fetch(a).join()).isEqualTo(first);
    }

    @Test
    void nestedMultipartsAndEmbeddedMessagesHaveTheirLeavesCut() {
        byte[] inner = Seeded.bytes(40_000, 3);
        byte[] deep = Seeded.bytes(50_000, 4);
        String b64inner = MimeSamples.base64Lines(inner);
        String b64deep = MimeSamples.base64Lines(deep);
        byte[] message = ascii("Subject: nested\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n"
            + "--outer\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
            + "--alt\r\nContent-Type: text/plain\r\n\r\nplain\r\n"
            + "--alt\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64inner
            + "--alt--\r\n"
            + "\r\n--outer\r\nContent-Type: message/rfc822\r\n\r\n"
            + "Subject: forwarded\r\nContent-Type: multipart/mixed; boundary=fw\r\n\r\n"
            + "--fw\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64deep + "--fw--\r\n"
            + "\r\n--outer--\r\nepilogue\r\n");

        MessageReference reference = store.store(message, LEASE).join();

        assertThat(store.fetch(reference).join()).isEqualTo(message);
        List<Long> sizes = store.parts(reference).join().stream().skip(1).map(PartReference::size).toList();
        assertThat(sizes).containsExactly((long) b64inner.length() - 2, (long) b64deep.length() - 2);
    }

    @Test
    void wellFormedRandomMessagesAreCutExactlyAtTheirLargeLeafBodies() {
        MimeCutter cutter = new MimeCutter(200);
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            List<byte[]> leaves = new ArrayList<>();
            byte[] message = MimeSamples.randomMessage(random, leaves);

            List<MimeCutter.Range> ranges = cutter.cut(message);

            assertCovers(ranges, message.length, seed);
            List<byte[]> cut = ranges.stream().filter(MimeCutter.Range::leaf)
                .map(r -> Arrays.copyOfRange(message, r.start(), r.end())).toList();
            List<byte[]> expected = leaves.stream().filter(leaf -> leaf.length >= 200).toList();
            assertThat(cut).as("seed " + seed).hasSameSizeAs(expected);
            for (int i = 0; i < cut.size(); i++) {
                assertThat(cut.get(i)).as("seed " + seed + " leaf " + i).isEqualTo(expected.get(i));
            }
        }
    }

    @Test
    void randomAndGarbledMessagesAlwaysComeBackByteForByte() {
        // small thresholds, so that even short messages are cut into many parts
        PartStore small = new PartStore(blocks, new ConvergentCipher(Optional.empty()),
            PartStoreConfig.defaults().withSmallPartThreshold(32), new SecureRandom());
        MimeMessageStore messages = new MimeMessageStore(small, MimeMessageStore.Config.defaults().withLeafThreshold(100));
        MimeCutter cutter = new MimeCutter(100);
        int cutMessages = 0;
        for (int seed = 0; seed < 400; seed++) {
            Random random = new Random(1000 + seed);
            byte[] message = MimeSamples.randomMessage(random, new ArrayList<>());
            if (seed % 2 == 1) {
                message = MimeSamples.garble(random, message);
            }
            assertCovers(cutter.cut(message), message.length, seed);
            MessageReference reference = messages.store(message, LEASE).join();
            assertThat(messages.fetch(reference).join()).as("seed " + seed).isEqualTo(message);
            if (messages.parts(reference).join().size() > 2) {
                cutMessages++;
            }
        }
        assertThat(cutMessages).as("the samples do exercise the cutting").isGreaterThan(100);
    }

    @Test
    void malformedMimeFallsBackToCoarserCutsButRoundTrips() {
        String big = MimeSamples.base64Lines(Seeded.bytes(30_000, 5));
        List<byte[]> samples = List.of(
            // no closing delimiter: the multipart body is one leaf
            ascii("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\n" + big),
            // bare LF line ends throughout
            ascii("Subject: lf\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\n" + big.replace("\r\n", "\n")
                + "--x--\n"),
            // no empty line at all
            ascii("Subject: no body" + "X".repeat(40_000)),
            // a broken Content-Type
            ascii("Content-Type: multipart/mixed; boundary=\"unterminated\r\n\r\n--unterminated\r\n\r\n" + big
                + "--unterminated--\r\n"),
            // a header line without a colon and a delimiter with trailing garbage
            ascii("garbage line\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--qX\r\n--q\r\n\r\n" + big
                + "\r\n--q--"),
            new byte[0],
            ascii("\r\n"),
            ascii("\r\n\r\n\r\n"));
        for (byte[] sample : samples) {
            assertThat(roundTrip(store, sample)).isEqualTo(sample);
        }
        assertThat(new MimeCutter(16 * 1024).cut(samples.get(0))).as("one header range, one body leaf")
            .extracting(MimeCutter.Range::leaf).containsExactly(false, true);
        assertThat(new MimeCutter(16 * 1024).cut(samples.get(1))).as("bare LF: the whole message is one leaf")
            .hasSize(1);
    }

    @Test
    void aTwentyFiveMegabyteMessageRoundTripsAndIsNotInsertedAgainRightAfterwards() {
        AtomicLong now = new AtomicLong(1_000);
        PartStore cached = new PartStore(blocks, new ConvergentCipher(Optional.empty()), PartStoreConfig.defaults(),
            new SecureRandom(), new RecentParts(now::get, 16, 60_000));
        MimeMessageStore messages = new MimeMessageStore(cached, MimeMessageStore.Config.defaults());
        byte[] message = MimeSamples.withAttachment("alice@epost.test", "bob@epost.test", "big", "25 MB attached",
            Seeded.bytes(25 << 20, 11));

        MessageReference reference = messages.store(message, LEASE).join();
        assertThat(messages.fetch(reference).join()).isEqualTo(message);
        long insertsAfterFirst = blocks.inserts();
        assertThat(insertsAfterFirst).as("35 chunks, a manifest and a skeleton").isGreaterThan(30);

        MessageReference again = messages.store(message, LEASE).join();
        assertThat(blocks.inserts() - insertsAfterFirst).as("only the (padded) skeleton").isEqualTo(1);
        assertThat(messages.fetch(again).join()).isEqualTo(message);

        now.addAndGet(60_001);
        messages.store(message, LEASE).join();
        assertThat(blocks.inserts() - insertsAfterFirst).as("too old to reuse: inserted again")
            .isGreaterThan(30);
    }

    @Test
    void aFetchedMessageIsRememberedSoThatAppendingItStoresOnlyItsSkeleton() {
        byte[] message = MimeSamples.withAttachment("alice@epost.test", "bob@epost.test", "fwd", "text",
            Seeded.bytes(100_000, 12));
        MessageReference reference = store.store(message, LEASE).join();
        PartStore recipientParts = new PartStore(blocks, new ConvergentCipher(Optional.empty()),
            PartStoreConfig.defaults(), new SecureRandom(), RecentParts.defaults(() -> 0));
        MimeMessageStore recipient = new MimeMessageStore(recipientParts, MimeMessageStore.Config.defaults());

        byte[] fetched = recipient.fetch(reference).join();
        long before = blocks.inserts();
        recipient.store(fetched, LEASE).join();

        assertThat(blocks.inserts() - before).isEqualTo(1);
    }

    @Test
    void aReferenceWhoseSizeDisagreesWithItsSkeletonIsRefused() {
        byte[] message = ascii("Subject: x\r\n\r\nbody\r\n");
        MessageReference reference = store.store(message, LEASE).join();
        MessageReference lying = new MessageReference(reference.top(), message.length + 1);

        Throwable failure = catchThrowable(() -> store.fetch(lying).join());

        assertThat(failure).isInstanceOf(CompletionException.class).cause().isInstanceOf(CorruptPartException.class)
            .hasMessageContaining("skeleton describes");
    }

    @Test
    void aTopPartThatIsNotASkeletonIsRefused() {
        PartReference notASkeleton = parts.store(ascii("just some bytes"), LEASE).join();

        Throwable failure = catchThrowable(() -> store.fetch(new MessageReference(notASkeleton, 15)).join());

        assertThat(failure).cause().isInstanceOf(CorruptPartException.class).hasMessageContaining("malformed message skeleton");
    }

    @Test
    void skeletonsDecodeOnlyFromTheirCanonicalEncoding() {
        PartReference part = parts.store(Seeded.bytes(20_000, 9), LEASE).join();
        MessageSkeleton skeleton = new MessageSkeleton(List.of(new MessageSkeleton.Literal(ascii("head")),
            new MessageSkeleton.Part(part), new MessageSkeleton.Literal(ascii("tail"))));
        byte[] encoded = skeleton.encode();
        assertThat(MessageSkeleton.decode(encoded, 1 << 20).segments()).hasSize(3);
        assertThat(MessageSkeleton.decode(encoded, 1 << 20).messageSize()).isEqualTo(20_008);

        byte[] trailing = Arrays.copyOf(encoded, encoded.length + 1);
        byte[] truncated = Arrays.copyOf(encoded, encoded.length - 1);
        byte[] badKind = encoded.clone();
        assertThat(badKind[4]).as("[version, [[kind, ...").isEqualTo((byte) 1);
        badKind[4] = 7;
        byte[] missingSegment = new MessageSkeleton(List.of(new MessageSkeleton.Literal(ascii("a")))).encode();
        assertThat(missingSegment[2]).as("an array of one segment").isEqualTo((byte) 0x81);
        missingSegment[2] = (byte) 0x82; // claims two segments, holds one
        byte[] adjacentLiterals = new CborRecordWriter(32).record(1, 2).array(2).array(2).number(1).bytes(ascii("a"))
            .end().array(2).number(1).bytes(ascii("b")).end().end().array(0).end().end().toBytes();
        byte[] emptyLiteral = new CborRecordWriter(32).record(1, 2).array(1).array(2).number(1).bytes(new byte[0])
            .end().end().array(0).end().end().toBytes();
        byte[] otherVersion = RecordEncodings.withVersion(encoded, 2);
        byte[] nonCanonical = RecordEncodings.nonMinimalVersion(encoded);
        for (byte[] bad : List.of(trailing, truncated, badKind, missingSegment, adjacentLiterals, emptyLiteral,
                otherVersion, nonCanonical, ascii("EPSKEL"), ascii("NOTSKL\u0001"), new byte[0])) {
            assertThat(catchThrowable(() -> MessageSkeleton.decode(bad, 1 << 20)))
                .isInstanceOf(MalformedSkeletonException.class);
        }
        assertThat(catchThrowable(() -> MessageSkeleton.decode(otherVersion, 1 << 20))).hasMessageContaining("version 2");
        assertThat(catchThrowable(() -> MessageSkeleton.decode(nonCanonical, 1 << 20))).hasMessageContaining("canonical");
        assertThat(catchThrowable(() -> MessageSkeleton.decode(encoded, encoded.length - 1)))
            .isInstanceOf(MalformedSkeletonException.class).hasMessageContaining("allowed");
        assertThat(catchThrowable(() -> new MessageSkeleton(List.of(new MessageSkeleton.Literal(ascii("a")),
            new MessageSkeleton.Literal(ascii("b")))))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSubjectIsReadWithEncodedWordsDecoded() {
        byte[] message = ascii("From: a@epost.test\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n and more\r\n\r\nbody");

        assertThat(EntityHeader.ofMessage(message).subject()).isEqualTo("Grüße and more");
        assertThat(EntityHeader.ofMessage(ascii("no header")).subject()).isEmpty();
    }

    private static void assertCovers(List<MimeCutter.Range> ranges, int length, int seed) {
        int cursor = 0;
        Set<Boolean> previousInline = new HashSet<>();
        for (MimeCutter.Range range : ranges) {
            assertThat(range.start()).as("seed " + seed + ": contiguous").isEqualTo(cursor);
            assertThat(range.length()).as("seed " + seed + ": not empty").isPositive();
            if (!range.leaf()) {
                assertThat(previousInline).as("seed " + seed + ": no adjacent inline ranges").isEmpty();
                previousInline.add(true);
            } else {
                previousInline.clear();
            }
            cursor = range.end();
        }
        assertThat(cursor).as("seed " + seed + ": covers the message").isEqualTo(length);
    }
}

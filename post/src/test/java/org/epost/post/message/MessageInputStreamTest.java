package org.epost.post.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.epost.post.message.MimeSamples.ascii;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.store.PartChunk;
import org.epost.post.store.PartReference;
import org.epost.post.store.PartStore;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.post.testing.Seeded;
import org.junit.jupiter.api.Test;

class MessageInputStreamTest {
    private static final long LEASE = 1_000_000;

    private final PartStore store = new PartStore(new InMemoryBlockService(), new ConvergentCipher(Optional.empty()));
    private final PartReference first = store.store(Seeded.bytes(30_000, 1), LEASE).join();
    private final PartReference second = store.store(Seeded.bytes(20_000, 2), LEASE).join();
    private final MessageSkeleton skeleton = new MessageSkeleton(List.of(new MessageSkeleton.Literal(ascii("head\r\n")),
        new MessageSkeleton.Part(first), new MessageSkeleton.Literal(ascii("\r\n--b\r\n")),
        new MessageSkeleton.Part(second), new MessageSkeleton.Literal(ascii("\r\n--b--\r\n"))));
    private final List<PartReference> fetched = new ArrayList<>();
    private final MessageInputStream.PartReader reader = (part, offset) -> {
        fetched.add(part);
        return new PartChunk(0, store.fetch(part).join());
    };

    @Test
    void readsTheWholeMessageFetchingEachPartOnce() throws IOException {
        byte[] expected = concat(ascii("head\r\n"), store.fetch(first).join(), ascii("\r\n--b\r\n"),
            store.fetch(second).join(), ascii("\r\n--b--\r\n"));

        byte[] read = new MessageInputStream(skeleton, reader).readAllBytes();

        assertThat(read).isEqualTo(expected);
        assertThat(fetched).containsExactly(first, second);
    }

    @Test
    void aReaderThatStopsAtTheHeaderFetchesNothing() throws IOException {
        InputStream in = new MessageInputStream(skeleton, reader);

        assertThat(in.readNBytes(6)).isEqualTo(ascii("head\r\n"));
        assertThat(fetched).isEmpty();
    }

    @Test
    void skippingOverAPartNeverFetchesIt() throws IOException {
        InputStream in = new MessageInputStream(skeleton, reader);
        long toSecond = 6 + first.size() + 7;

        assertThat(in.skip(toSecond)).isEqualTo(toSecond);
        assertThat(in.readNBytes(10)).isEqualTo(java.util.Arrays.copyOf(store.fetch(second).join(), 10));
        assertThat(fetched).containsExactly(second);
        assertThat(in.skip(Long.MAX_VALUE)).isEqualTo(second.size() - 10 + 9);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(fetched).containsExactly(second);
    }

    @Test
    void aPartOfTheWrongSizeFailsTheReadRatherThanShiftingTheMessage() {
        Map<PartReference, byte[]> lying = Map.of(first, new byte[(int) first.size() + 10]);
        InputStream in = new MessageInputStream(skeleton, (part, offset) -> new PartChunk(0, lying.get(part)));

        Throwable failure = catchThrowable(in::readAllBytes);

        assertThat(failure).isInstanceOf(IOException.class).hasMessageContaining("of " + first.size() + " bytes answered");
    }

    @Test
    void aPartIsReadPieceByPieceAndAPieceThatMissesTheOffsetIsRefused() throws IOException {
        byte[] bytes = store.fetch(first).join();
        List<Long> asked = new ArrayList<>();
        MessageInputStream.PartReader chunked = (part, offset) -> {
            asked.add(offset);
            if (part.equals(second)) {
                return new PartChunk(0, store.fetch(second).join());
            }
            long start = offset / 7_000 * 7_000;
            return new PartChunk(start, java.util.Arrays.copyOfRange(bytes, (int) start,
                (int) Math.min(bytes.length, start + 7_000)));
        };
        InputStream in = new MessageInputStream(skeleton, chunked);
        in.skip(6);
        assertThat(in.readNBytes(bytes.length)).isEqualTo(bytes);
        assertThat(asked).containsExactly(0L, 7_000L, 14_000L, 21_000L, 28_000L);

        InputStream wrong = new MessageInputStream(skeleton, (part, offset) -> new PartChunk(offset + 1, new byte[5]));
        wrong.skip(6);
        assertThat(catchThrowable(wrong::read)).isInstanceOf(IOException.class).hasMessageContaining("for offset 0");
    }

    @Test
    void theEmptyMessageIsAnEmptyStream() throws IOException {
        InputStream in = new MessageInputStream(new MessageSkeleton(List.of()), reader);

        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
        assertThat(in.skip(5)).isZero();
    }

    private static byte[] concat(byte[]... pieces) {
        int length = 0;
        for (byte[] piece : pieces) {
            length += piece.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, all, at, piece.length);
            at += piece.length;
        }
        return all;
    }
}

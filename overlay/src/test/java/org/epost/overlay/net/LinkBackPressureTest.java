package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.wire.MessageTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Back-pressure on a real TCP + TLS link: a peer that stops reading (its I/O thread busy, as on a loaded machine) while
 * we send far more than the link's socket buffer holds (48 frames of 1 MiB, the buffer's high mark is 16 MiB) delays
 * the messages instead of losing them: once it reads again, every one arrives, in order. Before, what overran the
 * buffer was dropped and the requests it carried (PAST inserts of a large mail) timed out.
 */
class LinkBackPressureTest {
    record Chunk(int n, String payload) implements Message {
    }

    private static final int CHUNKS = 48;
    private static final int CHUNK_CHARS = 1 << 20;

    private final TlsTestNodes nodes = new TlsTestNodes();

    @AfterEach
    void tearDown() throws Exception {
        nodes.close();
    }


    @Test
    void aPeerThatStopsReadingDelaysLargeMessagesWithoutLosingAny() throws Exception {
        TlsTestNodes.Pair pair = nodes.pair(new MessageTypes().register("test.chunk", Chunk.class), (self, from, m) -> { });
        NettyTransport a = pair.a();
        BlockingQueue<Object> atA = pair.atA();
        BlockingQueue<Object> atB = pair.atB();
        NodeHandle bHandle = pair.bHandle();
        a.send(bHandle, new Chunk(-1, "opening"));
        assertThat(atB.poll(30, TimeUnit.SECONDS)).isEqualTo(new Chunk(-1, "opening"));

        // b's only I/O thread is busy: nothing is read from the socket until it is released
        CountDownLatch release = TlsTestNodes.stopReading(pair.bIo());
        String payload = "x".repeat(CHUNK_CHARS);
        long waiting = 0;
        for (int n = 0; n < CHUNKS; n++) {
            a.send(bHandle, new Chunk(n, payload));
            // paced as a node sends (a frame is counted against the socket buffer once the I/O thread encoded it)
            Thread.sleep(50);
            waiting = Math.max(waiting, a.waitingBytes());
        }
        release.countDown();

        List<Integer> arrived = new ArrayList<>();
        for (Object message; arrived.size() < CHUNKS && (message = atB.poll(30, TimeUnit.SECONDS)) != null; ) {
            arrived.add(((Chunk) message).n());
        }
        assertThat(waiting).as("messages waited on the link beyond its socket buffer").isPositive();
        assertThat(arrived).hasSize(CHUNKS).isSorted();
        assertThat(a.waitingBytes()).isZero();
        assertThat(atA).as("b was never reported unreachable").isEmpty();
    }
}

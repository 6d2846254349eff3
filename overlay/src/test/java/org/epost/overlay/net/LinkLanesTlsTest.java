package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.epost.overlay.api.BulkMessage;
import org.epost.overlay.api.Lane;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.wire.MessageTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Priority lanes on a real TCP + TLS link: a peer that stopped reading is sent a flood of bulk fragments (far more than
 * the socket buffers hold), then a few interactive requests. Once it reads again the requests arrive ahead of the
 * bulk still queued on the sender's link and are answered while the rest of the flood is still coming; every message
 * of both lanes arrives, each lane in order. With one FIFO per link the requests came after the whole flood.
 */
class LinkLanesTlsTest {
    record Fragment(int n, String payload) implements BulkMessage {
    }

    record Request(int n) implements Message {
    }

    record Answer(int n) implements Message {
    }

    private static final int FRAGMENTS = 28;
    private static final int FRAGMENT_CHARS = 1 << 20;
    private static final int REQUESTS = 4;

    private final TlsTestNodes nodes = new TlsTestNodes();

    @AfterEach
    void tearDown() throws Exception {
        nodes.close();
    }

    /** Two nodes that answer each {@link Request} at once. */
    private TlsTestNodes.Pair start() throws Exception {
        MessageTypes types = new MessageTypes().register("test.fragment", Fragment.class)
            .register("test.request", Request.class).register("test.answer", Answer.class);
        return nodes.pair(types, (self, from, message) -> {
            if (message instanceof Request request) {
                self.send(from, new Answer(request.n()));
            }
        });
    }

    @Test
    void interactiveRequestsPassABulkFloodToAPeerThatStoppedReading() throws Exception {
        TlsTestNodes.Pair pair = start();
        NettyTransport a = pair.a();
        BlockingQueue<Object> atA = pair.atA();
        BlockingQueue<Object> atB = pair.atB();
        NodeHandle bHandle = pair.bHandle();
        a.send(bHandle, new Request(-1));
        assertThat(atB.poll(30, TimeUnit.SECONDS)).isEqualTo(new Request(-1));
        assertThat(atA.poll(30, TimeUnit.SECONDS)).isEqualTo(new Answer(-1));

        // b's only I/O thread is busy: nothing is read from the socket until it is released
        CountDownLatch release = TlsTestNodes.stopReading(pair.bIo());
        String payload = "x".repeat(FRAGMENT_CHARS);
        for (int n = 0; n < FRAGMENTS; n++) {
            a.send(bHandle, new Fragment(n, payload), Lane.BULK);
        }
        long queuedBulk = settledBulkBytes(a);
        for (int n = 0; n < REQUESTS; n++) {
            a.send(bHandle, new Request(n));
        }
        int bypassed = (int) (queuedBulk / FRAGMENT_CHARS);
        release.countDown();

        List<Object> arrived = new ArrayList<>();
        AtomicInteger fragments = new AtomicInteger();
        for (Object message; fragments.get() < FRAGMENTS && (message = atB.poll(60, TimeUnit.SECONDS)) != null; ) {
            arrived.add(message);
            if (message instanceof Fragment) {
                fragments.incrementAndGet();
            }
        }
        List<Integer> fragmentOrder = arrived.stream().filter(Fragment.class::isInstance)
            .map(message -> ((Fragment) message).n()).toList();
        List<Object> requests = arrived.stream().filter(Request.class::isInstance).toList();
        int firstRequest = arrived.indexOf(new Request(0));
        long fragmentsBeforeFirstRequest = firstRequest < 0 ? FRAGMENTS
            : arrived.subList(0, firstRequest).stream().filter(Fragment.class::isInstance).count();

        System.out.printf("lanes over TLS: %d of %d fragments queued on the link when the requests were sent,"
            + " %d fragments arrived before the first request%n", bypassed, FRAGMENTS, fragmentsBeforeFirstRequest);
        assertThat(bypassed).as("fragments still queued on a's link when the requests were sent").isPositive();
        assertThat(fragmentOrder).as("every fragment, in order").hasSize(FRAGMENTS).isSorted();
        assertThat(requests).as("every request, in order").containsExactly(new Request(0), new Request(1),
            new Request(2), new Request(3));
        assertThat(fragmentsBeforeFirstRequest).as("the requests went before the fragments queued on the link")
            .isLessThanOrEqualTo(FRAGMENTS - bypassed);
        List<Object> answers = new ArrayList<>();
        for (Object message; answers.size() < REQUESTS && (message = atA.poll(60, TimeUnit.SECONDS)) != null; ) {
            answers.add(message);
        }
        assertThat(answers).as("b answered every request").containsExactly(new Answer(0), new Answer(1),
            new Answer(2), new Answer(3));
        LinkFigures figures = a.linkFigures();
        assertThat(figures.waitingBytes()).isZero();
        assertThat(figures.refusedBulk() + figures.refusedInteractive() + figures.expired()).isZero();
    }

    /** The bulk bytes queued on {@code a}'s links once the socket buffers filled (the flood stopped moving). */
    private static long settledBulkBytes(NettyTransport a) throws InterruptedException {
        long previous = -1;
        long now = a.linkFigures().waitingBulkBytes();
        while (now != previous) {
            Thread.sleep(500);
            previous = now;
            now = a.linkFigures().waitingBulkBytes();
        }
        return now;
    }
}

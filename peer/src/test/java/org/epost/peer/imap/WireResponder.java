package org.epost.peer.imap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imap.encode.ImapResponseWriter;
import org.apache.james.imap.encode.base.ImapResponseComposerImpl;
import org.apache.james.imap.encode.main.DefaultImapEncoderFactory;
import org.apache.james.imap.encode.main.DefaultLocalizer;
import org.apache.james.imap.main.ResponseEncoder;
import org.apache.james.imap.message.Literal;

/**
 * What a client would read from one IMAP command's responder: James's own encoder and response composer (the
 * buffer that is not thread-safe) writing to bytes instead of a socket. It also counts the threads inside the
 * responder at the same time, and can hold the next flush until the test lets it go.
 */
final class WireResponder implements ImapProcessor.Responder {
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final ResponseEncoder encoder;
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private final List<Waiter> waiters = new ArrayList<>();
    private CountDownLatch heldFlushEntered;
    private CountDownLatch heldFlushRelease;

    /** With James's default encoders. */
    WireResponder() {
        this(DefaultImapEncoderFactory.createDefaultEncoder(new DefaultLocalizer(), false));
    }

    WireResponder(ImapEncoder encoder) {
        this.encoder = new ResponseEncoder(encoder, new ImapResponseComposerImpl(new Writer()));
    }

    @Override
    public void respond(ImapResponseMessage message) {
        enter();
        try {
            encoder.respond(message);
        } finally {
            inside.decrementAndGet();
        }
    }

    @Override
    public void flush() {
        enter();
        try {
            holdIfAsked();
            encoder.flush();
        } finally {
            inside.decrementAndGet();
        }
    }

    /** The next flush signals {@code entered}, then waits for {@code release} before writing anything. */
    synchronized void holdNextFlush(CountDownLatch entered, CountDownLatch release) {
        heldFlushEntered = entered;
        heldFlushRelease = release;
    }

    /** Counted down once the bytes written so far contain {@code text}. */
    synchronized CountDownLatch whenWritten(String text) {
        Waiter waiter = new Waiter(text, new CountDownLatch(1));
        waiters.add(waiter);
        signalWaiters();
        return waiter.latch;
    }

    synchronized String written() {
        return wire.toString(StandardCharsets.US_ASCII);
    }

    /** The most threads that were inside {@link #respond} or {@link #flush} at the same moment. */
    int mostThreadsAtOnce() {
        return mostInside.get();
    }

    private void enter() {
        int now = inside.incrementAndGet();
        mostInside.accumulateAndGet(now, Math::max);
    }

    private void holdIfAsked() {
        CountDownLatch entered;
        CountDownLatch release;
        synchronized (this) {
            entered = heldFlushEntered;
            release = heldFlushRelease;
            heldFlushEntered = null;
            heldFlushRelease = null;
        }
        if (entered != null) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private synchronized void append(byte[] bytes) {
        wire.writeBytes(bytes);
        signalWaiters();
    }

    private void signalWaiters() {
        String text = wire.toString(StandardCharsets.US_ASCII);
        waiters.removeIf(waiter -> {
            if (text.contains(waiter.text)) {
                waiter.latch.countDown();
                return true;
            }
            return false;
        });
    }

    private record Waiter(String text, CountDownLatch latch) {
    }

    private final class Writer implements ImapResponseWriter {
        @Override
        public void write(Literal literal) throws IOException {
            try (InputStream in = literal.getInputStream()) {
                append(in.readAllBytes());
            }
        }

        @Override
        public void write(byte[] buffer) {
            append(buffer);
        }
    }
}

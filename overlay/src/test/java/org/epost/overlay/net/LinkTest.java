package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import org.epost.overlay.api.Lane;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

import io.netty.channel.embedded.EmbeddedChannel;

/**
 * While a link opens it holds messages up to a count and a number of encoded bytes, and not beyond; once open, while
 * its socket buffer is full, messages wait in order up to a number of bytes and for a bounded time.
 */
class LinkTest {
    private final LinkBudget budget = new LinkBudget(LinkBudget.DEFAULT_BYTES);
    private final Link link = new Link(new NodeHandle(Id.of(new byte[Id.BYTES]), "127.0.0.1:1"), budget);
    private final List<Object> written = new ArrayList<>();

    private void write(Object message, Lane lane) {
        written.add(message);
    }

    private Link.Outcome send(Object message, ToLongFunction<Object> sizeOf, long now) {
        return link.send(message, Lane.INTERACTIVE, this::write, sizeOf, now);
    }

    @Test
    void anOpeningLinkHoldsAtMostItsByteBudget() {
        long frame = 4L << 20;
        int fit = (int) (Link.MAX_PENDING_BYTES / frame);
        for (int i = 0; i < fit; i++) {
            assertThat(send("big " + i, message -> frame, 0)).isEqualTo(Link.Outcome.QUEUED);
        }
        assertThat(send("one too many", message -> frame, 0)).isEqualTo(Link.Outcome.QUEUE_FULL);
        assertThat(send("small", message -> 100, 0)).isEqualTo(Link.Outcome.QUEUE_FULL);
        assertThat(written).isEmpty();
        assertThat(link.close()).isEqualTo(fit);
        assertThat(send("after close", message -> 1, 0)).isEqualTo(Link.Outcome.CLOSED);
    }

    @Test
    void anOpeningLinkHoldsAtMostItsMessageCount() {
        for (int i = 0; i < Link.MAX_PENDING; i++) {
            assertThat(send(i, message -> 10, 0)).isEqualTo(Link.Outcome.QUEUED);
        }
        assertThat(send("next", message -> 10, 0)).isEqualTo(Link.Outcome.QUEUE_FULL);
    }

    /** An open link whose socket buffer is full or not, as a user-defined writability bit makes it. */
    private EmbeddedChannel openOn() {
        EmbeddedChannel channel = new EmbeddedChannel();
        link.open(channel, new NodeHandle(Id.of(new byte[Id.BYTES]), "127.0.0.1:1"));
        link.drain(this::write, 0);
        return channel;
    }

    private static void writable(EmbeddedChannel channel, boolean writable) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
    }

    @Test
    void anOpenLinkWhoseSocketBufferIsFullHoldsMessagesInOrderAndWritesThemOnceItDrains() {
        EmbeddedChannel channel = openOn();
        assertThat(send("first", message -> 10, 0)).isEqualTo(Link.Outcome.WRITTEN);
        writable(channel, false);
        assertThat(send("second", message -> 10, 1)).isEqualTo(Link.Outcome.WAITING);
        assertThat(link.drain(this::write, 2)).isEqualTo(new Link.Drained(0, 0, 0, 0));
        writable(channel, true);
        // while older messages wait, a new one waits behind them even though the buffer has room
        assertThat(send("third", message -> 10, 3)).isEqualTo(Link.Outcome.WAITING);
        assertThat(link.backlogBytes()).isEqualTo(20);

        assertThat(link.drain(this::write, 4)).isEqualTo(new Link.Drained(2, 0, 0, 0));
        assertThat(written).containsExactly("first", "second", "third");
        assertThat(link.backlogBytes()).isZero();
        assertThat(send("fourth", message -> 10, 5)).isEqualTo(Link.Outcome.WRITTEN);
    }

    @Test
    void aFullBacklogRefusesAndMessagesThatWaitedTooLongAreDropped() {
        EmbeddedChannel channel = openOn();
        writable(channel, false);
        long frame = 4L << 20;
        int fit = (int) (LaneQueues.MAX_INTERACTIVE_BYTES / frame);
        for (int i = 0; i < fit; i++) {
            assertThat(send("big " + i, message -> frame, i)).isEqualTo(Link.Outcome.WAITING);
        }
        assertThat(send("one too many", message -> frame, fit)).isEqualTo(Link.Outcome.BACKLOG_FULL);
        assertThat(link.firstRefusal()).isTrue();
        assertThat(link.firstRefusal()).as("warned once per episode").isFalse();

        // the first half waited too long by now: dropped, not written late; the rest goes out once there is room
        writable(channel, true);
        long now = fit / 2 + Link.MAX_BACKLOG_MILLIS;
        assertThat(link.drain(this::write, now)).isEqualTo(new Link.Drained(fit - fit / 2, fit / 2, fit / 2 * frame, 0));
        assertThat(written).first().isEqualTo("big " + fit / 2);
        assertThat(link.firstRefusal()).as("a new episode").isTrue();

        writable(channel, false);
        assertThat(send("waits", message -> 1, now)).isEqualTo(Link.Outcome.WAITING);
        assertThat(link.close()).as("lost with the link").isEqualTo(1);
    }
}

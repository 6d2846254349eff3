package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

import io.netty.channel.embedded.EmbeddedChannel;

/**
 * While a link opens it holds messages up to a count and a number of encoded bytes, and not beyond; once open, while
 * its socket buffer is full, messages wait in order up to a number of bytes and for a bounded time.
 */
class LinkTest {
    private final Link link = new Link(new NodeHandle(Id.of(new byte[Id.BYTES]), "127.0.0.1:1"));
    private final List<Object> written = new ArrayList<>();

    @Test
    void anOpeningLinkHoldsAtMostItsByteBudget() {
        long frame = 4L << 20;
        int fit = (int) (Link.MAX_PENDING_BYTES / frame);
        for (int i = 0; i < fit; i++) {
            assertThat(link.send("big " + i, written::add, message -> frame, 0)).isEqualTo(Link.Outcome.QUEUED);
        }
        assertThat(link.send("one too many", written::add, message -> frame, 0)).isEqualTo(Link.Outcome.QUEUE_FULL);
        assertThat(link.send("small", written::add, message -> 100, 0)).isEqualTo(Link.Outcome.QUEUE_FULL);
        assertThat(written).isEmpty();
        assertThat(link.close()).isEqualTo(fit);
        assertThat(link.send("after close", written::add, message -> 1, 0)).isEqualTo(Link.Outcome.CLOSED);
    }

    @Test
    void anOpeningLinkHoldsAtMostItsMessageCount() {
        for (int i = 0; i < Link.MAX_PENDING; i++) {
            assertThat(link.send(i, written::add, message -> 10, 0)).isEqualTo(Link.Outcome.QUEUED);
        }
        assertThat(link.send("next", written::add, message -> 10, 0)).isEqualTo(Link.Outcome.QUEUE_FULL);
    }

    /** An open link whose socket buffer is full or not, as a user-defined writability bit makes it. */
    private EmbeddedChannel openOn() {
        EmbeddedChannel channel = new EmbeddedChannel();
        link.open(channel, new NodeHandle(Id.of(new byte[Id.BYTES]), "127.0.0.1:1"));
        return channel;
    }

    private static void writable(EmbeddedChannel channel, boolean writable) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
    }

    @Test
    void anOpenLinkWhoseSocketBufferIsFullHoldsMessagesInOrderAndWritesThemOnceItDrains() {
        EmbeddedChannel channel = openOn();
        assertThat(link.send("first", written::add, message -> 10, 0)).isEqualTo(Link.Outcome.WRITTEN);
        writable(channel, false);
        assertThat(link.send("second", written::add, message -> 10, 1)).isEqualTo(Link.Outcome.WAITING);
        assertThat(link.drain(written::add, 2)).isEqualTo(new Link.Drained(0, 0, 0));
        writable(channel, true);
        // while older messages wait, a new one waits behind them even though the buffer has room
        assertThat(link.send("third", written::add, message -> 10, 3)).isEqualTo(Link.Outcome.WAITING);
        assertThat(link.backlogBytes()).isEqualTo(20);

        assertThat(link.drain(written::add, 4)).isEqualTo(new Link.Drained(2, 0, 0));
        assertThat(written).containsExactly("first", "second", "third");
        assertThat(link.backlogBytes()).isZero();
        assertThat(link.send("fourth", written::add, message -> 10, 5)).isEqualTo(Link.Outcome.WRITTEN);
    }

    @Test
    void aFullBacklogRefusesAndMessagesThatWaitedTooLongAreDropped() {
        EmbeddedChannel channel = openOn();
        writable(channel, false);
        long frame = 4L << 20;
        int fit = (int) (Link.MAX_BACKLOG_BYTES / frame);
        for (int i = 0; i < fit; i++) {
            assertThat(link.send("big " + i, written::add, message -> frame, i)).isEqualTo(Link.Outcome.WAITING);
        }
        assertThat(link.send("one too many", written::add, message -> frame, fit)).isEqualTo(Link.Outcome.BACKLOG_FULL);
        assertThat(link.firstRefusal()).isTrue();
        assertThat(link.firstRefusal()).as("warned once per episode").isFalse();

        // the first half waited too long by now: dropped, not written late; the rest goes out once there is room
        writable(channel, true);
        long now = fit / 2 + Link.MAX_BACKLOG_MILLIS;
        assertThat(link.drain(written::add, now)).isEqualTo(new Link.Drained(fit - fit / 2, fit / 2, fit / 2 * frame));
        assertThat(written).first().isEqualTo("big " + fit / 2);
        assertThat(link.firstRefusal()).as("a new episode").isTrue();

        writable(channel, false);
        assertThat(link.send("waits", written::add, message -> 1, now)).isEqualTo(Link.Outcome.WAITING);
        assertThat(link.close()).as("lost with the link").isEqualTo(1);
    }
}

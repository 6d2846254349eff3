package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

import org.epost.overlay.api.Lane;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The two lanes of an open link and the node-wide budget: interactive messages pass queued bulk ones, bulk gets one
 * message in every {@link LaneQueues#BULK_SHARE} + 1 while both wait and keeps few messages in the channel, each lane
 * keeps its order and its own bound, and all links together stay within the budget, bulk refused first.
 */
class LinkLanesTest {
    private static final NodeHandle PEER = new NodeHandle(Id.of(new byte[Id.BYTES]), "127.0.0.1:1");
    private final List<Object> written = new ArrayList<>();
    private final List<Lane> lanes = new ArrayList<>();

    private void write(Object message, Lane lane) {
        written.add(message);
        lanes.add(lane);
    }

    private Link.Outcome send(Link link, String message, Lane lane, long size) {
        return link.send(message, lane, this::write, any -> size, 0);
    }

    private static EmbeddedChannel open(Link link) {
        EmbeddedChannel channel = new EmbeddedChannel();
        link.open(channel, PEER);
        return channel;
    }

    private static void writable(EmbeddedChannel channel, boolean writable) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
    }

    @Test
    void interactiveMessagesPassQueuedBulkOnesAndEachLaneKeepsItsOrder() {
        Link link = new Link(PEER, new LinkBudget(LinkBudget.DEFAULT_BYTES));
        EmbeddedChannel channel = open(link);
        writable(channel, false);
        for (int i = 0; i < 3; i++) {
            assertThat(send(link, "bulk " + i, Lane.BULK, 1 << 20)).isEqualTo(Link.Outcome.WAITING);
        }
        assertThat(send(link, "request 0", Lane.INTERACTIVE, 100)).isEqualTo(Link.Outcome.WAITING);
        assertThat(send(link, "request 1", Lane.INTERACTIVE, 100)).isEqualTo(Link.Outcome.WAITING);
        assertThat(link.backlogBytes(Lane.BULK)).isEqualTo(3 << 20);
        assertThat(link.backlogBytes(Lane.INTERACTIVE)).isEqualTo(200);

        writable(channel, true);
        link.drain(this::write, 1);
        // the interactive ones first, then bulk up to its in-flight limit: the rest waits for those to be sent
        assertThat(written).containsExactly("request 0", "request 1", "bulk 0", "bulk 1");
        assertThat(send(link, "request 2", Lane.INTERACTIVE, 100)).as("no interactive message waits: straight out")
            .isEqualTo(Link.Outcome.WRITTEN);
        assertThat(send(link, "bulk 3", Lane.BULK, 1 << 20)).as("behind the bulk that waits").isEqualTo(Link.Outcome.WAITING);

        assertThat(link.bulkDone()).as("bulk 0 was sent, bulk still waits: drain again").isTrue();
        link.drain(this::write, 2);
        assertThat(written).containsExactly("request 0", "request 1", "bulk 0", "bulk 1", "request 2", "bulk 2");
        assertThat(link.bulkDone()).as("bulk 3 still waits").isTrue();
        link.drain(this::write, 3);
        assertThat(written).endsWith("bulk 2", "bulk 3");
        assertThat(link.bulkDone()).as("nothing waits any more").isFalse();
        assertThat(link.backlogBytes()).isZero();
    }

    @Test
    void aBulkWriteThatCompletesAtOnceFreesItsPlace() {
        Link link = new Link(PEER, new LinkBudget(LinkBudget.DEFAULT_BYTES));
        open(link);
        // on an I/O thread, a write to a socket with room completes, and reports so, before the writer returns
        BiConsumer<Object, Lane> completesAtOnce = (message, lane) -> {
            write(message, lane);
            link.bulkDone();
        };
        for (int i = 0; i < 3 * LaneQueues.MAX_BULK_IN_FLIGHT; i++) {
            assertThat(link.send("bulk " + i, Lane.BULK, completesAtOnce, any -> 10, 0)).as("bulk %d", i)
                .isEqualTo(Link.Outcome.WRITTEN);
        }
    }

    @Test
    void bulkGetsABoundedShareWhileInteractiveMessagesKeepWaiting() {
        Link link = new Link(PEER, new LinkBudget(LinkBudget.DEFAULT_BYTES));
        EmbeddedChannel channel = open(link);
        writable(channel, false);
        send(link, "bulk 0", Lane.BULK, 1000);
        send(link, "bulk 1", Lane.BULK, 1000);
        int interactive = 3 * LaneQueues.BULK_SHARE;
        for (int i = 0; i < interactive; i++) {
            send(link, "request " + i, Lane.INTERACTIVE, 10);
        }
        writable(channel, true);
        assertThat(link.drain(this::write, 1).written()).isEqualTo(interactive + 2);
        // one bulk after every BULK_SHARE interactive messages, not after all of them
        assertThat(written.indexOf("bulk 0")).isEqualTo(LaneQueues.BULK_SHARE);
        assertThat(written.indexOf("bulk 1")).isEqualTo(2 * LaneQueues.BULK_SHARE + 1);
        assertThat(written.stream().filter(m -> ((String) m).startsWith("request")).toList())
            .as("interactive order kept").isEqualTo(IntStream.range(0, interactive)
                .mapToObj(i -> "request " + i).toList());
    }

    @Test
    void aFullBulkLaneRefusesBulkButStillTakesInteractiveMessages() {
        Link link = new Link(PEER, new LinkBudget(LinkBudget.DEFAULT_BYTES));
        writable(open(link), false);
        long frame = 4L << 20;
        for (int i = 0; i < LaneQueues.MAX_BULK_BYTES / frame; i++) {
            assertThat(send(link, "bulk " + i, Lane.BULK, frame)).isEqualTo(Link.Outcome.WAITING);
        }
        assertThat(send(link, "one bulk too many", Lane.BULK, frame)).isEqualTo(Link.Outcome.BACKLOG_FULL);
        assertThat(send(link, "request", Lane.INTERACTIVE, frame)).isEqualTo(Link.Outcome.WAITING);
        assertThat(link.backlogBytes(Lane.BULK)).isEqualTo(LaneQueues.MAX_BULK_BYTES);
    }

    @Test
    void allLinksTogetherStayWithinTheBudgetWithBulkRefusedFirst() {
        long frame = 1L << 20;
        LinkBudget budget = new LinkBudget(8 * frame);
        Link first = new Link(PEER, budget);
        Link second = new Link(PEER, budget);
        writable(open(first), false);
        // an opening link's queue counts too
        assertThat(send(second, "queued bulk", Lane.BULK, frame)).isEqualTo(Link.Outcome.QUEUED);
        for (int i = 0; i < 3; i++) {
            assertThat(send(first, "bulk " + i, Lane.BULK, frame)).isEqualTo(Link.Outcome.WAITING);
        }
        assertThat(budget.waitingBytes()).isEqualTo(4 * frame);
        assertThat(send(first, "bulk beyond half the budget", Lane.BULK, frame)).isEqualTo(Link.Outcome.BUDGET_FULL);
        assertThat(send(second, "queued bulk beyond", Lane.BULK, frame)).isEqualTo(Link.Outcome.BUDGET_FULL);
        for (int i = 0; i < 4; i++) {
            assertThat(send(second, "request " + i, Lane.INTERACTIVE, frame)).isEqualTo(Link.Outcome.QUEUED);
        }
        assertThat(send(first, "request beyond the budget", Lane.INTERACTIVE, frame))
            .isEqualTo(Link.Outcome.BUDGET_FULL);
        assertThat(budget.waitingBytes()).isEqualTo(8 * frame);

        // what is written, expires or is lost with its link gives its bytes back
        EmbeddedChannel secondChannel = open(second);
        second.drain(this::write, 1);
        assertThat(written).containsExactly("request 0", "request 1", "request 2", "request 3", "queued bulk");
        assertThat(budget.waitingBytes()).isEqualTo(3 * frame);
        assertThat(first.drain(this::write, Link.MAX_BACKLOG_MILLIS + 1)).isEqualTo(new Link.Drained(0, 3, 3 * frame, 3));
        assertThat(budget.waitingBytes()).isZero();
        writable(secondChannel, false);
        send(second, "request after", Lane.INTERACTIVE, frame);
        assertThat(second.close()).isEqualTo(1);
        assertThat(budget.waitingBytes()).isZero();
    }
}

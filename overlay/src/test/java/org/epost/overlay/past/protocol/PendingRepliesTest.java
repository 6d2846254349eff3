package org.epost.overlay.past.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.metrics.MetricSink;
import org.epost.overlay.past.protocol.messages.FetchReply;
import org.epost.overlay.past.protocol.messages.StoreReply;
import org.epost.overlay.sim.SimScheduler;
import org.junit.jupiter.api.Test;

/** Replies count only from the node asked (as the link authenticated it), once, and ids give nothing away. */
class PendingRepliesTest {
    private final Random random = new Random(3);
    private final NodeHandle holder = new NodeHandle(Id.random(random), "10.0.0.1:7650");
    private final NodeHandle intruder = new NodeHandle(Id.random(random), "10.0.0.2:7650");
    private final SimScheduler scheduler = new SimScheduler();
    private final PastCounters counters = new PastCounters(MetricSink.NONE);
    private final PendingReplies replies = new PendingReplies(scheduler, 5_000, counters, new Random(4));

    @Test
    void aReplyFromAnotherNodeThanTheOneAskedIsIgnoredAndTheRightOneStillCounts() {
        List<String> got = new ArrayList<>();
        long id = replies.nextId();
        replies.expect(id, StoreReply.class, holder, reply -> got.add(reply.status()), () -> got.add("timeout"));

        replies.accept(new StoreReply(id, "STORED", "", 1), intruder);
        replies.accept(new StoreReply(id, "FULL", "", 1), holder);
        replies.accept(new StoreReply(id, "STORED", "", 1), holder);
        scheduler.runFor(10_000);

        assertThat(got).containsExactly("FULL");
        assertThat(counters.ignoredReplies()).isEqualTo(2);
    }

    @Test
    void aRoutedRequestTakesItsAnswerFromWhicheverNodeIsTheRootButOfTheRightTypeOnly() {
        List<Object> got = new ArrayList<>();
        long id = replies.nextId();
        replies.expect(id, FetchReply.class, null, got::add, () -> got.add("timeout"));

        replies.accept(new StoreReply(id, "STORED", "", 1), intruder);
        replies.accept(new FetchReply(id, new byte[0], 0), intruder);
        scheduler.runFor(10_000);

        assertThat(got).hasSize(1).first().isInstanceOf(FetchReply.class);
        assertThat(counters.ignoredReplies()).isEqualTo(1);
    }

    @Test
    void idsAreNeitherSequentialNorRepeated() {
        Set<Long> ids = new HashSet<>();
        long previous = replies.nextId();
        int successors = 0;
        for (int i = 0; i < 10_000; i++) {
            long id = replies.nextId();
            assertThat(id).isNotZero();
            ids.add(id);
            if (id == previous + 1) {
                successors++;
            }
            previous = id;
        }
        assertThat(ids).hasSize(10_000);
        assertThat(successors).isZero();
    }

    @Test
    void aRequestNotAnsweredTimesOutOnce() {
        List<String> got = new ArrayList<>();
        long id = replies.nextId();
        replies.expect(id, StoreReply.class, holder, reply -> got.add("reply"), () -> got.add("timeout"));

        scheduler.runFor(10_000);
        replies.accept(new StoreReply(id, "STORED", "", 1), holder);

        assertThat(got).containsExactly("timeout");
        assertThat(counters.ignoredReplies()).isEqualTo(1);
    }
}

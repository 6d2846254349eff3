package org.epost.overlay.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

/** While a link opens it holds messages up to a count and a number of encoded bytes, and not beyond. */
class LinkTest {
    private final Link link = new Link(new NodeHandle(Id.of(new byte[Id.BYTES]), "127.0.0.1:1"));
    private final List<Object> written = new ArrayList<>();

    @Test
    void anOpeningLinkHoldsAtMostItsByteBudget() {
        long frame = 4L << 20;
        int fit = (int) (Link.MAX_PENDING_BYTES / frame);
        for (int i = 0; i < fit; i++) {
            assertThat(link.send("big " + i, written::add, message -> frame)).isEqualTo(Link.Outcome.QUEUED);
        }
        assertThat(link.send("one too many", written::add, message -> frame)).isEqualTo(Link.Outcome.QUEUE_FULL);
        assertThat(link.send("small", written::add, message -> 100)).isEqualTo(Link.Outcome.QUEUE_FULL);
        assertThat(written).isEmpty();
        assertThat(link.close()).isEqualTo(fit);
        assertThat(link.send("after close", written::add, message -> 1)).isEqualTo(Link.Outcome.CLOSED);
    }

    @Test
    void anOpeningLinkHoldsAtMostItsMessageCount() {
        for (int i = 0; i < Link.MAX_PENDING; i++) {
            assertThat(link.send(i, written::add, message -> 10)).isEqualTo(Link.Outcome.QUEUED);
        }
        assertThat(link.send("next", written::add, message -> 10)).isEqualTo(Link.Outcome.QUEUE_FULL);
    }
}

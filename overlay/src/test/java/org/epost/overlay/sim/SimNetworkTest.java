package org.epost.overlay.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.transport.Transport;
import org.junit.jupiter.api.Test;

class SimNetworkTest {

    @Test
    void anInterceptorRewritesSwallowsOrAnswersMessagesAsTheyArrive() {
        SimScheduler scheduler = new SimScheduler();
        SimNetwork network = new SimNetwork(scheduler, 1);
        SimTransport a = network.addNode(Id.hash("a"));
        SimTransport b = network.addNode(Id.hash("b"));
        List<String> atA = new ArrayList<>();
        List<String> atB = new ArrayList<>();
        a.setListener(listener((from, message) -> atA.add(from.equals(b.localHandle()) + ":" + message)));
        b.setListener(listener((from, message) -> atB.add(message.toString())));
        network.setInterceptor((from, to, message) -> switch (message.toString()) {
            case "rewrite" -> "rewritten";
            case "swallow" -> null;
            case "ask" -> {
                b.send(from, "answered in b's name"); // b itself never sees the question
                yield null;
            }
            default -> message;
        });

        for (String message : List.of("plain", "rewrite", "swallow", "ask")) {
            a.send(b.localHandle(), message);
        }
        scheduler.runFor(1_000);
        assertThat(atB).containsExactly("plain", "rewritten");
        assertThat(atA).containsExactly("true:answered in b's name");
        assertThat(network.deliveredMessages()).isEqualTo(3);

        network.setInterceptor(SimNetwork.Interceptor.NONE);
        a.send(b.localHandle(), "swallow");
        scheduler.runFor(1_000);
        assertThat(atB).containsExactly("plain", "rewritten", "swallow");
    }

    private static Transport.Listener listener(BiConsumer<NodeHandle, Object> onReceive) {
        return new Transport.Listener() {
            @Override
            public void receive(NodeHandle from, Object wireMessage) {
                onReceive.accept(from, wireMessage);
            }

            @Override
            public void unreachable(NodeHandle peer) {
            }
        };
    }
}

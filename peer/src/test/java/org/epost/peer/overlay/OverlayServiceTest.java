package org.epost.peer.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.epost.overlay.node.OverlayNode;
import org.epost.overlay.wire.MessageTypes;
import org.epost.peer.config.EpostConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overlay service's node lifecycle and the applications it runs on the node, on a real lone node. */
class OverlayServiceTest {
    @TempDir
    Path directory;

    private final List<String> events = new ArrayList<>();

    /** Records what the overlay service asks of it; fails its start when told to. */
    private final class Recording implements PeerApplication {
        private final String name;
        private final boolean failing;
        private OverlayService overlay;

        Recording(String name, boolean failing) {
            this.name = name;
            this.failing = failing;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void registerMessageTypes(MessageTypes types) {
            events.add(name + " types");
        }

        @Override
        public void start(OverlayNode node) {
            events.add(name + " start, node published: " + overlay.node().isPresent());
            if (failing) {
                throw new IllegalStateException(name + " cannot start");
            }
        }

        @Override
        public void stop() {
            events.add(name + " stop");
        }
    }

    private EpostConfiguration configuration() throws Exception {
        return EpostConfiguration.from(OneNodeRing.overlayProperties(directory, OneNodeRing.authority()), directory,
            "peer1");
    }

    private OverlayService overlay(Recording... applications) throws Exception {
        OverlayService overlay = new OverlayService(configuration(), new LinkedHashSet<>(List.of(applications)));
        for (Recording application : applications) {
            application.overlay = overlay;
        }
        return overlay;
    }

    @Test
    void everyApplicationStartsOnTheNodeBeforeItJoinsAndStopsInReverseOrderBeforeItCloses() throws Exception {
        OverlayService overlay = overlay(new Recording("first", false), new Recording("second", false));

        overlay.start();
        boolean runningAfterStart = overlay.node().isPresent();
        overlay.stop();

        assertThat(runningAfterStart).isTrue();
        assertThat(overlay.node()).isEmpty();
        assertThat(events).containsExactly("first types", "second types", "first start, node published: false",
            "second start, node published: false", "second stop", "first stop");
    }

    @Test
    void anApplicationThatCannotStartStopsTheStartedOnesAndTheNode() throws Exception {
        OverlayService overlay = overlay(new Recording("first", false), new Recording("second", true));

        assertThatThrownBy(overlay::start).hasMessage("second cannot start");

        assertThat(overlay.node()).isEmpty();
        assertThat(events).containsExactly("first types", "second types", "first start, node published: false",
            "second start, node published: false", "first stop");
        overlay.stop();
        assertThat(events).hasSize(5);
    }

    @Test
    void withoutTheOverlayNoApplicationStarts() throws Exception {
        EpostConfiguration disabled = new EpostConfiguration("peer1", directory, java.util.Optional.empty());
        OverlayService overlay = new OverlayService(disabled, Set.of(new Recording("only", false)));

        overlay.start();
        overlay.stop();

        assertThat(overlay.node()).isEmpty();
        assertThat(events).isEmpty();
    }
}

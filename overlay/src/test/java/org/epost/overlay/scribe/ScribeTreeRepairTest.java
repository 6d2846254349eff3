package org.epost.overlay.scribe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.scribe.ScribeRing.Member;
import org.epost.overlay.scribe.ScribeRing.Note;
import org.epost.overlay.sim.Simulation;
import org.epost.overlay.sim.Simulation.SimNode;
import org.junit.jupiter.api.Test;

/** Parent changes on smaller rings: a crashed forwarder's children move, a closer newcomer takes over as root. */
class ScribeTreeRepairTest {
    private static final Id GROUP = Id.hash("repair-group");

    /** A member that also records the tree changes it is told about. */
    static final class Watcher implements ScribeClient {
        final List<NodeHandle> added = new ArrayList<>();
        final List<NodeHandle> removed = new ArrayList<>();
        final Map<Long, Integer> received = new LinkedHashMap<>();

        @Override
        public void deliver(Id group, Message message) {
            received.merge(((Note) message).n(), 1, Integer::sum);
        }

        @Override
        public void childAdded(Id group, NodeHandle child) {
            added.add(child);
        }

        @Override
        public void childRemoved(Id group, NodeHandle child) {
            removed.add(child);
        }
    }

    @Test
    void theChildrenOfACrashedForwarderFindANewParentAndItsParentDropsIt() {
        ScribeRing ring = new ScribeRing(60, 11);
        List<Watcher> watchers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Watcher watcher = new Watcher();
            watchers.add(watcher);
            ring.scribes.get(i).join(GROUP, watcher);
        }
        ring.run(5_000);

        int victim = -1;
        for (int node : ring.treeNodes(GROUP)) {
            GroupView view = ring.view(node, GROUP).orElseThrow();
            if (!view.root() && !view.children().isEmpty()) {
                victim = node;
                break;
            }
        }
        assertThat(victim).as("some member forwards for others").isNotNegative();
        GroupView victimView = ring.view(victim, GROUP).orElseThrow();
        NodeHandle victimHandle = ring.nodes.get(victim).node().localHandle();
        int grandParent = ring.indexOf(victimView.parent());
        assertThat(watchers.get(grandParent).added).contains(victimHandle);
        List<Integer> orphans = victimView.children().stream().map(ring::indexOf).toList();

        ring.crash(victim);
        ring.run(ScribeRing.CONFIG.parentTimeoutMillis() + 3 * ScribeRing.CONFIG.heartbeatIntervalMillis());

        assertThat(watchers.get(grandParent).removed).as("the silent child was dropped").contains(victimHandle);
        for (int orphan : orphans) {
            GroupView view = ring.view(orphan, GROUP).orElseThrow();
            assertThat(view.parent()).as("orphan %d has a new parent", orphan).isNotNull().isNotEqualTo(victimHandle);
            assertThat(view.path()).doesNotContain(victimHandle.id());
            int newParent = ring.indexOf(view.parent());
            assertThat(watchers.get(newParent).added).contains(ring.nodes.get(orphan).node().localHandle());
            assertThat(ring.depthToRoot(orphan, GROUP)).isNotNegative();
        }
        assertThat(ring.counter("parent-expired")).isGreaterThanOrEqualTo(orphans.size());

        ring.scribes.get(ring.responsibleFor(GROUP)).publish(GROUP, new Note(1));
        ring.run(2_000);
        for (int i = 0; i < 60; i++) {
            assertThat(watchers.get(i).received).as("node %d", i)
                    .isEqualTo(i == victim ? Map.of() : Map.of(1L, 1));
        }
    }

    @Test
    void aNewcomerClosestToTheGroupIdBecomesTheRootAndTheOldRootJoinsUnderIt() {
        long seed = 5;
        // the simulation draws ids from its seed alone: a throwaway ring tells which id the 31st node will get
        Simulation preview = new Simulation(Simulation.Settings.of(31, seed));
        preview.buildRing();
        Id group = preview.nodes().get(30).id();

        ScribeRing ring = new ScribeRing(30, seed);
        Map<Integer, Member> members = new LinkedHashMap<>();
        for (int node = 0; node < 30; node += 3) {
            Member member = ring.new Member(node);
            members.put(node, member);
            ring.scribes.get(node).join(group, member);
        }
        ring.run(5_000);
        int oldRoot = ring.responsibleFor(group);
        assertThat(ring.view(oldRoot, group).orElseThrow().root()).isTrue();

        SimNode newcomer = ring.simulation.addNode();
        assertThat(newcomer.id()).isEqualTo(group);
        Scribe newScribe = new Scribe(newcomer.node(), newcomer.transport().scheduler(), ScribeRing.CONFIG);
        ring.scribes.add(newScribe);
        ring.run(10_000);

        GroupView rootView = newScribe.view(group).orElseThrow();
        assertThat(rootView.root()).isTrue();
        GroupView oldRootView = ring.view(oldRoot, group).orElseThrow();
        assertThat(oldRootView.root()).isFalse();
        assertThat(oldRootView.path().get(0)).isEqualTo(group);
        for (int node : members.keySet()) {
            assertThat(ring.depthToRoot(node, group)).as("member %d under the new root", node).isNotNegative();
        }
        assertThat(ring.counter("root-handover")).isPositive();

        ring.scribes.get(1).publish(group, new Note(9));
        ring.run(2_000);
        for (Member member : members.values()) {
            assertThat(member.count(9)).isEqualTo(1);
        }
    }
}

package org.epost.overlay.scribe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.epost.overlay.id.Id;
import org.epost.overlay.scribe.ScribeRing.Member;
import org.epost.overlay.scribe.ScribeRing.Note;
import org.junit.jupiter.api.Test;

/**
 * Scribe on a simulated ring of 200 Pastry nodes: 30 members, a publication from a non-member, a leave, a crash of
 * 20% of the nodes (the root and interior forwarders among them), repair on virtual time, and replay by seed.
 */
class ScribeSimulationTest {
    private static final int NODES = 200;
    private static final int MEMBERS = 30;
    private static final long SEED = 20_020_601L;
    private static final Id GROUP = Id.hash("scribe-test-group");
    private static final long SETTLE_MILLIS = 5_000;
    private static final long MAX_REPAIR_MILLIS = 5 * 60_000;

    /** What one run of the scenario observed. */
    record Outcome(List<String> deliveries, String networkTrace, Map<String, Object> figures) {
    }

    @Test
    void membersReceiveEachPublicationOnceBeforeAndAfterCrashesAndLeaversDoNot() {
        Outcome outcome = scenario(SEED);
        System.out.println("scribe figures: " + outcome.figures());
    }

    @Test
    void theSameSeedGivesTheSameDeliveryTrace() {
        Outcome first = scenario(SEED + 1);
        Outcome second = scenario(SEED + 1);
        assertThat(second.deliveries()).isNotEmpty().isEqualTo(first.deliveries());
        assertThat(second.networkTrace()).isEqualTo(first.networkTrace());
        assertThat(second.figures()).isEqualTo(first.figures());
    }

    private Outcome scenario(long seed) {
        ScribeRing ring = new ScribeRing(NODES, seed);
        Random random = new Random(seed);
        Map<String, Object> figures = new LinkedHashMap<>();

        // 30 members join
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        Map<Integer, Member> members = new LinkedHashMap<>();
        for (int node : order.subList(0, MEMBERS)) {
            Member member = ring.new Member(node);
            members.put(node, member);
            ring.scribes.get(node).join(GROUP, member);
        }
        ring.run(SETTLE_MILLIS);

        int root = ring.responsibleFor(GROUP);
        int maxDepth = 0;
        for (int node : members.keySet()) {
            int depth = ring.depthToRoot(node, GROUP);
            assertThat(depth).as("member %d reaches the root %d through its parents", node, root).isGreaterThanOrEqualTo(0);
            maxDepth = Math.max(maxDepth, depth);
        }
        figures.put("tree_nodes", ring.treeNodes(GROUP).size());
        figures.put("max_member_depth", maxDepth);

        // a publication from a non-member reaches every member exactly once
        int publisher = order.get(NODES - 1);
        assertThat(members).doesNotContainKey(publisher);
        long before = publishCost(ring);
        ring.scribes.get(publisher).publish(GROUP, new Note(1));
        ring.run(SETTLE_MILLIS);
        figures.put("messages_per_publish", publishCost(ring) - before);
        for (Member member : members.values()) {
            assertThat(member.count(1)).as("node %d got publication 1", member.node).isEqualTo(1);
        }

        // a member leaves and receives no more; the tree is pruned
        int leaver = order.get(0);
        Member left = members.remove(leaver);
        ring.scribes.get(leaver).leave(GROUP, left);
        ring.run(SETTLE_MILLIS);
        for (int node : ring.treeNodes(GROUP)) {
            GroupView view = ring.view(node, GROUP).orElseThrow();
            assertThat(view.member() || !view.children().isEmpty())
                    .as("node %d stays in the tree only as member or forwarder: %s", node, view).isTrue();
        }
        ring.scribes.get(publisher).publish(GROUP, new Note(2));
        ring.run(SETTLE_MILLIS);
        assertThat(left.count(2)).as("the leaver got nothing").isZero();
        for (Member member : members.values()) {
            assertThat(member.count(2)).as("node %d got publication 2", member.node).isEqualTo(1);
        }

        // crash 20% of the nodes: the root, interior forwarders, and random others
        List<Integer> interior = new ArrayList<>();
        for (int node : ring.treeNodes(GROUP)) {
            GroupView view = ring.view(node, GROUP).orElseThrow();
            if (!view.root() && !view.children().isEmpty()) {
                interior.add(node);
            }
        }
        assertThat(interior).as("the tree has interior nodes").isNotEmpty();
        List<Integer> victims = new ArrayList<>();
        victims.add(root);
        victims.addAll(interior.subList(0, Math.min(3, interior.size())));
        List<Integer> others = new ArrayList<>(order);
        Collections.shuffle(others, random); // members crash in proportion, not first
        for (int node : others) {
            if (victims.size() >= NODES / 5) {
                break;
            }
            if (!victims.contains(node) && node != publisher) {
                victims.add(node);
            }
        }
        victims.forEach(ring::crash);
        long crashedAt = ring.now();
        figures.put("crashed", victims.size());
        figures.put("crashed_members", victims.stream().filter(members::containsKey).count());
        figures.put("crashed_interior", victims.stream().filter(interior::contains).count());
        assertThat(ring.responsibleFor(GROUP)).as("the root crashed: another node must take over").isNotEqualTo(root);

        // repair on virtual time: every live member is attached through live parents to the new root
        List<Member> live = members.values().stream().filter(m -> ring.isLive(m.node)).toList();
        assertThat(live.size()).isLessThan(members.size());
        while (!live.stream().allMatch(m -> ring.depthToRoot(m.node, GROUP) >= 0)) {
            assertThat(ring.now() - crashedAt).as("tree repaired within %d virtual ms", MAX_REPAIR_MILLIS)
                    .isLessThan(MAX_REPAIR_MILLIS);
            ring.run(100);
        }
        figures.put("repair_virtual_ms", ring.now() - crashedAt);
        maxDepth = 0;
        for (Member member : live) {
            maxDepth = Math.max(maxDepth, ring.depthToRoot(member.node, GROUP));
        }
        figures.put("max_member_depth_after_repair", maxDepth);

        // Pastry itself may still be probing crashed nodes and park the route to the root for a while: wait for the
        // publication on virtual time, then a while longer to catch any duplicate
        before = publishCost(ring);
        long publishedAt = ring.now();
        ring.scribes.get(publisher).publish(GROUP, new Note(3));
        while (!live.stream().allMatch(m -> m.count(3) > 0) && ring.now() - publishedAt < MAX_REPAIR_MILLIS) {
            ring.run(100);
        }
        figures.put("publish_latency_after_repair_ms", ring.now() - publishedAt);
        ring.run(SETTLE_MILLIS);
        figures.put("messages_per_publish_after_repair", publishCost(ring) - before);
        for (Member member : live) {
            assertThat(member.count(3)).as("live node %d got publication 3", member.node).isEqualTo(1);
        }
        for (Member member : members.values()) {
            assertThat(member.count(1)).isEqualTo(1);
            assertThat(member.count(2)).isEqualTo(1);
        }
        assertThat(left.received).containsOnlyKeys(1L);
        figures.put("root_takeovers", ring.counter("root-takeover"));
        figures.put("parents_given_up", ring.counter("parent-expired"));
        return new Outcome(List.copyOf(ring.trace), ring.simulation.network().traceHash(), figures);
    }

    /** Network messages spent on publications so far: route hops to the root, and tree edges down. */
    private static long publishCost(ScribeRing ring) {
        return ring.counter("hop.ScribePublish") + ring.counter("send.ScribeData");
    }
}

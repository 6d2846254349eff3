package org.epost.overlay.scribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.junit.jupiter.api.Test;

class GroupStateTest {
    private static final Id GROUP = Id.hash("group");
    private static final NodeHandle SELF = handle("self");
    private static final NodeHandle A = handle("a");
    private static final NodeHandle B = handle("b");
    private static final NodeHandle ROOT = handle("root");
    private static final ScribeClient CLIENT = (group, message) -> { };

    private static NodeHandle handle(String name) {
        return new NodeHandle(Id.hash(name), "sim:" + name);
    }

    private final GroupState state = new GroupState(GROUP, SELF.id(), 3);

    @Test
    void aFreshStateIsARootWithoutChildrenAndPrunable() {
        assertThat(state.isRoot()).isTrue();
        assertThat(state.parent()).isNull();
        assertThat(state.children()).isEmpty();
        assertThat(state.path()).containsExactly(SELF.id());
        assertThat(state.isPrunable()).isTrue();
    }

    @Test
    void childrenAreAddedOnceRefreshedAndRemoved() {
        assertThat(state.addChild(A, 10)).isTrue();
        assertThat(state.addChild(A, 20)).as("second add only refreshes").isFalse();
        assertThat(state.addChild(B, 30)).isTrue();
        assertThat(state.children()).containsExactly(A, B);
        assertThat(state.isPrunable()).isFalse();

        assertThat(state.removeChild(A)).isTrue();
        assertThat(state.removeChild(A)).isFalse();
        assertThat(state.refreshChild(A, 40)).as("a removed child is not refreshed back").isFalse();
        assertThat(state.children()).containsExactly(B);
        assertThat(state.hasChild(B)).isTrue();
    }

    @Test
    void silentChildrenExpireAndHeardOnesStay() {
        state.addChild(A, 0);
        state.addChild(B, 0);
        assertThat(state.refreshChild(B, 2_000)).isTrue();

        assertThat(state.expireChildren(3_000, 3_000)).as("heard exactly at the limit stays").isEmpty();
        assertThat(state.expireChildren(3_001, 3_000)).containsExactly(A);
        assertThat(state.children()).containsExactly(B);
        assertThat(state.expireChildren(5_001, 3_000)).containsExactly(B);
        assertThat(state.isPrunable()).isTrue();
    }

    @Test
    void aNodeIsNeverItsOwnChildOrParent() {
        assertThatThrownBy(() -> state.addChild(SELF, 0)).isInstanceOf(IllegalArgumentException.class);
        state.startJoining(0);
        assertThatThrownBy(() -> state.attach(SELF, List.of(ROOT.id()), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void joiningThenAttachingSetsParentAndPath() {
        state.startJoining(100);
        assertThat(state.isJoining()).isTrue();
        assertThat(state.isRoot()).isFalse();
        assertThat(state.joinSentAt()).isEqualTo(100);

        assertThat(state.attach(A, List.of(ROOT.id(), A.id()), 150)).as("no previous parent").isNull();
        assertThat(state.parent()).isEqualTo(A);
        assertThat(state.isJoining()).isFalse();
        assertThat(state.isRoot()).isFalse();
        assertThat(state.path()).containsExactly(ROOT.id(), A.id(), SELF.id());
        assertThat(state.isOnPath(A.id())).isTrue();
        assertThat(state.isOnPath(B.id())).isFalse();
    }

    @Test
    void changingParentReturnsTheOldOneToBeToldAndReattachingTheSameReturnsNothing() {
        state.startJoining(0);
        state.attach(A, List.of(ROOT.id(), A.id()), 0);
        state.startJoining(10);
        assertThat(state.attach(B, List.of(ROOT.id(), B.id()), 20)).isEqualTo(A);
        assertThat(state.parent()).isEqualTo(B);
        assertThat(state.path()).containsExactly(ROOT.id(), B.id(), SELF.id());
        state.startJoining(30);
        assertThat(state.attach(B, List.of(ROOT.id(), B.id()), 40)).isNull();
    }

    @Test
    void aParentPathThroughThisNodeIsALoopAndIsRefused() {
        List<Id> looping = List.of(ROOT.id(), SELF.id(), A.id());
        assertThat(state.wouldLoop(looping)).isTrue();
        assertThat(state.wouldLoop(List.of(ROOT.id(), A.id()))).isFalse();
        state.startJoining(0);
        assertThatThrownBy(() -> state.attach(A, looping, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(state.parent()).isNull();
    }

    @Test
    void theParentExpiresWhenSilentAndHeartbeatsUpdateThePath() {
        state.startJoining(0);
        state.attach(A, List.of(ROOT.id(), A.id()), 1_000);
        assertThat(state.parentExpired(4_000, 3_000)).isFalse();
        assertThat(state.parentExpired(4_001, 3_000)).isTrue();

        assertThat(state.parentHeard(List.of(ROOT.id(), A.id()), 4_001)).as("same path: no change").isFalse();
        assertThat(state.parentExpired(7_000, 3_000)).isFalse();
        assertThat(state.parentHeard(List.of(B.id(), A.id()), 7_000)).as("the root above moved").isTrue();
        assertThat(state.path()).containsExactly(B.id(), A.id(), SELF.id());
    }

    @Test
    void detachingForgetsTheParentButKeepsThePathAsLoopGuard() {
        state.startJoining(0);
        state.attach(A, List.of(ROOT.id(), A.id()), 0);
        assertThat(state.detach()).isEqualTo(A);
        assertThat(state.parent()).isNull();
        assertThat(state.parentExpired(1_000_000, 1)).as("no parent, nothing to expire").isFalse();
        assertThat(state.isOnPath(ROOT.id())).isTrue();
    }

    @Test
    void becomingRootDropsTheParentAndResetsThePath() {
        state.startJoining(0);
        state.attach(A, List.of(ROOT.id(), A.id()), 0);
        state.addChild(B, 0);
        assertThat(state.becomeRoot()).isEqualTo(A);
        assertThat(state.isRoot()).isTrue();
        assertThat(state.path()).containsExactly(SELF.id());
        assertThat(state.children()).as("children stay").containsExactly(B);
    }

    @Test
    void membersKeepTheNodeInTheTree() {
        assertThat(state.addClient(CLIENT)).isTrue();
        assertThat(state.addClient(CLIENT)).isFalse();
        assertThat(state.isMember()).isTrue();
        assertThat(state.isPrunable()).isFalse();
        assertThat(state.removeClient(CLIENT)).isTrue();
        assertThat(state.isPrunable()).isTrue();
    }

    @Test
    void publicationsAreSeenOnceWithinABoundedMemory() {
        assertThat(state.firstTime(A.id(), 1)).isTrue();
        assertThat(state.firstTime(A.id(), 1)).isFalse();
        assertThat(state.firstTime(B.id(), 1)).as("another source").isTrue();
        assertThat(state.firstTime(A.id(), 2)).isTrue();
        assertThat(state.firstTime(A.id(), 3)).as("pushes the oldest out of a memory of 3").isTrue();
        assertThat(state.firstTime(B.id(), 1)).isFalse();
        assertThat(state.firstTime(A.id(), 1)).as("forgotten").isTrue();
    }
}

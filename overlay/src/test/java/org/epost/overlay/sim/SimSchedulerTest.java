package org.epost.overlay.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.epost.overlay.time.Scheduler;
import org.junit.jupiter.api.Test;

class SimSchedulerTest {

    @Test
    void runsInTimeOrderAndTiesInSchedulingOrder() {
        SimScheduler scheduler = new SimScheduler();
        List<String> order = new ArrayList<>();
        scheduler.schedule(20, () -> order.add("b@20"));
        scheduler.schedule(10, () -> order.add("a@10"));
        scheduler.schedule(20, () -> order.add("c@20"));
        scheduler.schedule(10, () -> scheduler.schedule(10, () -> order.add("d@20")));
        scheduler.runUntil(100);
        assertThat(order).containsExactly("a@10", "b@20", "c@20", "d@20");
        assertThat(scheduler.now()).isEqualTo(100);
    }

    @Test
    void cancelledTasksDoNotRun() {
        SimScheduler scheduler = new SimScheduler();
        List<String> ran = new ArrayList<>();
        Scheduler.Cancellable task = scheduler.schedule(5, () -> ran.add("cancelled"));
        scheduler.schedule(5, () -> ran.add("kept"));
        task.cancel();
        scheduler.runFor(10);
        assertThat(ran).containsExactly("kept");
        assertThat(scheduler.executedEvents()).isEqualTo(1);
    }

    @Test
    void runUntilConditionStopsAsSoonAsItHolds() {
        SimScheduler scheduler = new SimScheduler();
        List<Long> times = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            scheduler.schedule(i * 10L, () -> times.add(scheduler.now()));
        }
        assertThat(scheduler.runUntil(() -> times.size() == 2, 1_000)).isTrue();
        assertThat(scheduler.now()).isEqualTo(20);
        assertThat(scheduler.runUntil(() -> times.size() == 99, 35)).isFalse();
        assertThat(times).containsExactly(10L, 20L, 30L);
        assertThat(scheduler.now()).isEqualTo(35);
    }
}

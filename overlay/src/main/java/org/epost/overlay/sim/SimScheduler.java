package org.epost.overlay.sim;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.epost.overlay.time.Offload;
import org.epost.overlay.time.Scheduler;

/**
 * A discrete-event queue on virtual time: tasks run in order of due time, ties in order of scheduling, so that a
 * simulation replays exactly. Single-threaded; every simulated node runs on it.
 */
public final class SimScheduler implements Scheduler {

    private final class Event implements Cancellable, Comparable<Event> {
        final long time;
        final long sequence;
        final Runnable task;
        boolean cancelled;

        Event(long time, long sequence, Runnable task) {
            this.time = time;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Event other) {
            int c = Long.compare(time, other.time);
            return c != 0 ? c : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private Offload offload = Offload.INLINE;
    private long now;
    private long sequence;
    private long executed;

    /** Virtual milliseconds since the simulation started. */
    @Override
    public long now() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("negative delay: " + delayMillis);
        }
        Event event = new Event(now + delayMillis, sequence++, task);
        queue.add(event);
        return event;
    }

    /** Inline unless {@link #deferOffload} was called. */
    @Override
    public Offload offload() {
        return offload;
    }

    /**
     * From now on, offloaded work and its continuation run as a later task on this queue, as a pool's would come
     * back after other messages: the order the node thread sees then differs from inline, still replayed exactly.
     */
    public void deferOffload() {
        offload = new Offload() {
            @Override
            public <T> void run(int bytes, Supplier<T> work, Consumer<? super T> then) {
                schedule(0, () -> then.accept(work.get()));
            }
        };
    }

    /** Runs every task due up to and including {@code time}, then sets the clock to {@code time}. */
    public void runUntil(long time) {
        while (!queue.isEmpty() && queue.peek().time <= time) {
            runNext();
        }
        now = Math.max(now, time);
    }

    public void runFor(long millis) {
        runUntil(now + millis);
    }

    /**
     * Runs tasks until {@code done} holds (checked after each task) or the clock passes {@code deadline}; returns
     * whether {@code done} held.
     */
    public boolean runUntil(BooleanSupplier done, long deadline) {
        while (!done.getAsBoolean()) {
            if (queue.isEmpty() || queue.peek().time > deadline) {
                now = Math.max(now, deadline);
                return false;
            }
            runNext();
        }
        return true;
    }

    /** Tasks run so far (cancelled ones not counted). */
    public long executedEvents() {
        return executed;
    }

    private void runNext() {
        Event event = queue.poll();
        now = event.time;
        if (!event.cancelled) {
            executed++;
            event.task.run();
        }
    }
}

package org.epost.mailets;

/**
 * Bounds the bytes of messages that ePOST's SMTP hook holds in the heap at once. Storing a message in ePOST needs it
 * whole in memory (the MIME cut and convergent encryption read it at random and twice), plus a few working copies of
 * it; without a bound, a handful of parallel DATA commands of the maximum size exhaust any heap. A message waits here
 * until its bytes fit: the SMTP client sees a slower answer, never a lost or retried mail. A message larger than the
 * whole budget still gets through, alone.
 */
final class HeapBudget {
    /**
     * Messages in the heap at once, by default: a sixteenth of the maximum heap. Each costs a few times its size while
     * stored, and so one message near the SMTP size limit is stored at a time on epost-ring's 768 MiB heap: two large
     * stores at once overrun the overlay links' write buffers, whose dropped requests then time out (451).
     */
    static final long DEFAULT_DIVISOR = 16;

    private final long capacity;
    private long used;

    HeapBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the heap budget must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** The default budget of this JVM: {@code -Xmx} divided by {@value #DEFAULT_DIVISOR}. */
    static HeapBudget ofMaxHeap() {
        return new HeapBudget(Math.max(1, Runtime.getRuntime().maxMemory() / DEFAULT_DIVISOR));
    }

    long capacity() {
        return capacity;
    }

    /** Waits until {@code bytes} fit (a message over the capacity takes all of it); answers the bytes to release. */
    synchronized long acquire(long bytes) throws InterruptedException {
        long take = Math.max(0, Math.min(bytes, capacity));
        while (used + take > capacity) {
            wait();
        }
        used += take;
        return take;
    }

    synchronized void release(long taken) {
        used -= taken;
        notifyAll();
    }

    synchronized long used() {
        return used;
    }
}

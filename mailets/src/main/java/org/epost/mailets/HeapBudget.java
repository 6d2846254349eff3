package org.epost.mailets;

/**
 * Bounds the bytes ePOST's SMTP hook holds in the heap at once to store messages. A message up to
 * {@link MailBytes#IN_MEMORY_LIMIT} is stored from the heap and counts its size; a larger one is read from an encrypted
 * scratch file a piece at a time and counts the store's working set ({@link #STREAMED_WORKING_SET}), whatever its
 * size. A message waits here until its bytes fit: the SMTP client sees a slower answer, never a lost or retried mail.
 */
final class HeapBudget {
    /**
     * The budget, by default: a sixteenth of the maximum heap. On epost-ring's 768 MiB heap, 48 MiB: three large
     * messages stored at once; on a 256 MiB heap, one at a time (a message over the budget still goes, alone).
     */
    static final long DEFAULT_DIVISOR = 16;

    /**
     * What storing a message from a scratch file holds at most: 2 parts in flight ({@code MimeMessageStore}'s default)
     * of 4 chunks each ({@code PartStore}'s), each chunk's plaintext and ciphertext of up to 1 MiB.
     */
    static final long STREAMED_WORKING_SET = 2 * 4 * 2L << 20;

    /** The bytes storing a message of {@code size} bytes holds in the heap. */
    static long heldWhileStoring(long size) {
        return size >= 0 && size <= MailBytes.IN_MEMORY_LIMIT ? size : STREAMED_WORKING_SET;
    }

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

package org.epost.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class HeapBudgetTest {
    @Test
    void aMessageThatDoesNotFitWaitsUntilAnotherReleasesItsBytes() throws Exception {
        HeapBudget budget = new HeapBudget(100);
        long first = budget.acquire(70);
        long[] second = {-1};
        Thread waiter = new Thread(() -> {
            try {
                second[0] = budget.acquire(60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        // The second cannot have its 60 while 70 of 100 are held: it parks in the budget's monitor.
        while (waiter.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertThat(budget.used()).isEqualTo(70);
        budget.release(first);
        waiter.join();
        assertThat(second[0]).isEqualTo(60);
        assertThat(budget.used()).isEqualTo(60);
        budget.release(second[0]);

        CompletableFuture<Long> third = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.acquire(60);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(third.get()).isEqualTo(60);
        assertThat(budget.used()).isEqualTo(60);
    }

    @Test
    void aMessageLargerThanTheBudgetTakesAllOfItAndGoesAlone() throws Exception {
        HeapBudget budget = new HeapBudget(100);
        long taken = budget.acquire(1_000);
        assertThat(taken).isEqualTo(100);
        assertThat(budget.used()).isEqualTo(100);
        budget.release(taken);
        assertThat(budget.used()).isZero();
    }

    @Test
    void theDefaultIsASixteenthOfTheMaximumHeapAndAZeroBudgetIsRefused() {
        assertThat(HeapBudget.ofMaxHeap().capacity()).isEqualTo(Runtime.getRuntime().maxMemory() / 16);
        assertThatThrownBy(() -> new HeapBudget(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("positive");
    }

    @Test
    void aMessageStoredFromTheHeapCountsItsSizeALargerOneTheStoresWorkingSetWhateverItsSize() {
        assertThat(HeapBudget.heldWhileStoring(1_000)).isEqualTo(1_000);
        assertThat(HeapBudget.heldWhileStoring(MailBytes.IN_MEMORY_LIMIT)).isEqualTo(MailBytes.IN_MEMORY_LIMIT);
        assertThat(HeapBudget.heldWhileStoring(MailBytes.IN_MEMORY_LIMIT + 1)).isEqualTo(16L << 20);
        assertThat(HeapBudget.heldWhileStoring(50L << 20)).isEqualTo(16L << 20);
        assertThat(HeapBudget.heldWhileStoring(-1)).as("size unknown: read from a scratch file").isEqualTo(16L << 20);
    }

    @Test
    void messageBytesAreReadWholeWhateverTheAnnouncedSize() throws Exception {
        byte[] message = "Subject: x\r\n\r\nbody\r\n".getBytes();
        assertThat(MailBytes.read(new ByteArrayInputStream(message), message.length)).isEqualTo(message);
        assertThat(MailBytes.read(new ByteArrayInputStream(message), 5)).isEqualTo(message);
        assertThat(MailBytes.read(new ByteArrayInputStream(message), 1_000)).isEqualTo(message);
        assertThat(MailBytes.read(new ByteArrayInputStream(message), -1)).isEqualTo(message);
    }
}

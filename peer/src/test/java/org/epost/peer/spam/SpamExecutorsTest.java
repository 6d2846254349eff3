package org.epost.peer.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;

import org.apache.james.onami.lifecycle.PreDestroyModule;
import org.apache.james.onami.lifecycle.Stager;
import org.junit.jupiter.api.Test;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;

/**
 * The spam defences' threads end when the peer stops: James stops a peer by staging {@code @PreDestroy} on what Guice
 * built (its onami lifecycle, as {@code GuiceJamesServer.stop()} does), and no thread of {@link SpamExecutors} is
 * left alive, not even one busy solving a puzzle.
 */
class SpamExecutorsTest {
    @Test
    void stoppingThePeerEndsEveryThreadOfTheSpamDefences() throws Exception {
        Injector injector = Guice.createInjector(new PreDestroyModule(), new EpostSpamModuleBindings());
        SpamExecutors executors = injector.getInstance(SpamExecutors.class);
        assertThat(injector.getInstance(SpamExecutors.class)).isSameAs(executors);

        Set<Thread> started = ConcurrentHashMap.newKeySet();
        List<ExecutorService> all = List.of(executors.puzzleBase(), executors.solving(), executors.io(),
            executors.io());
        CountDownLatch running = new CountDownLatch(all.size());
        for (ExecutorService executor : all) {
            executor.execute(() -> {
                started.add(Thread.currentThread());
                running.countDown();
                try {
                    Thread.sleep(TimeUnit.HOURS.toMillis(1)); // a long solve, or a send waiting on the network
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(running.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(started).hasSize(4).allMatch(Thread::isAlive);
        assertThat(started).extracting(Thread::getName).anyMatch(name -> name.startsWith("epost-puzzle-base-"))
            .anyMatch(name -> name.startsWith("epost-puzzles-"))
            .anyMatch(name -> name.startsWith("epost-first-contact-"));

        injector.getInstance(Key.get(new TypeLiteral<Stager<PreDestroy>>() { })).stage();

        for (Thread thread : started) {
            thread.join(TimeUnit.MINUTES.toMillis(1));
        }
        assertThat(started).noneMatch(Thread::isAlive);
        assertThatThrownBy(() -> executors.solving().execute(() -> { }))
            .isInstanceOf(RejectedExecutionException.class);
    }

    /** The binding {@link EpostSpamModule} makes, alone (its other bindings need a whole James). */
    private static final class EpostSpamModuleBindings extends com.google.inject.AbstractModule {
        @Override
        protected void configure() {
            bind(SpamExecutors.class).in(com.google.inject.Scopes.SINGLETON);
        }
    }
}

package org.epost.overlay.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.net.NettyTransport;
import org.epost.overlay.net.NettyTransport.Identity;
import org.epost.overlay.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a starting node into the ring. Bootstrap nodes are known only by address, so each is asked who it is and
 * whether it is in a ring ({@link NettyTransport#identify}); the node joins through one that is. When none is, only
 * the founder — the node whose address sorts first among itself and its bootstrap list — may start a new ring; every
 * other node waits and asks again. One fixed founder means peers started together never form two rings, and a
 * founder that restarts while the others run joins them instead of founding again.
 */
final class Bootstrapper {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrapper.class);
    private static final long IDENTIFY_TIMEOUT_MILLIS = 10_000;
    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long MAX_RETRY_MILLIS = 15_000;

    private final NettyTransport transport;
    private final Scheduler scheduler;
    private final String self;
    private final List<String> candidates;
    private final String founder;
    private final Consumer<NodeHandle> join;
    private volatile boolean stopped;

    /** @param join called on the node thread once: with the bootstrap node, or with null to found a new ring */
    Bootstrapper(NettyTransport transport, Scheduler scheduler, String selfAddress, List<String> bootstrap, Consumer<NodeHandle> join) {
        this.transport = transport;
        this.scheduler = scheduler;
        this.self = selfAddress;
        List<String> others = new ArrayList<>(bootstrap);
        others.removeIf(selfAddress::equals);
        Collections.sort(others);
        this.candidates = List.copyOf(others);
        this.founder = candidates.isEmpty() || selfAddress.compareTo(candidates.get(0)) < 0 ? selfAddress : candidates.get(0);
        this.join = join;
    }

    /** Whether this node was configured with other nodes (and so should not stay alone). */
    boolean joinConfigured() {
        return !candidates.isEmpty();
    }

    void start() {
        attempt(FIRST_RETRY_MILLIS, 0);
    }

    void stop() {
        stopped = true;
    }

    private void attempt(long retryDelay, int round) {
        if (stopped) {
            return;
        }
        List<CompletableFuture<Identity>> answers = candidates.stream()
            .map(address -> transport.identify(address)
                .orTimeout(IDENTIFY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .exceptionally(failure -> null))
            .toList();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenRun(() ->
            scheduler.schedule(0, () -> decide(answers.stream().map(CompletableFuture::join).toList(), retryDelay, round)));
    }

    private void decide(List<Identity> answers, long retryDelay, int round) {
        if (stopped) {
            return;
        }
        for (Identity answer : answers) {
            if (answer != null && answer.inRing()) {
                LOG.info("{} joins the ring through {}", self, answer.node());
                join.accept(answer.node());
                return;
            }
        }
        if (founder.equals(self)) {
            LOG.info("None of {} is in a ring; {} founds one", candidates, self);
            join.accept(null);
            return;
        }
        if (round % 20 == 0) {
            LOG.warn("{} waits for a ring: none of {} is in one yet, and {} is the node that founds it", self, candidates, founder);
        }
        scheduler.schedule(retryDelay, () -> attempt(Math.min(2 * retryDelay, MAX_RETRY_MILLIS), round + 1));
    }
}

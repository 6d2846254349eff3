package org.epost.peer.mail;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.james.queue.api.MailQueueFactory;

/**
 * Once POST runs on this peer, makes its notification service bounce the mail refused after a delegated 250
 * ({@link LateBounces}) into James's spool. Created eagerly by the peer's Guice module; bounces are spooled on a
 * thread of their own (the spool may block, the node thread must not).
 */
public final class LateBounceWiring {
    private final ExecutorService io = Executors.newSingleThreadExecutor(new DefaultThreadFactory("epost-late-bounces", true));

    @Inject
    public LateBounceWiring(PostReadiness readiness, MailQueueFactory<?> queues) {
        readiness.services().thenAccept(services -> services.notifications().onRefusedAfterDelegation(
            new LateBounces(services.messages(), queues.createQueue(MailQueueFactory.SPOOL), io)));
    }

    @PreDestroy
    public void close() {
        io.shutdown();
    }
}

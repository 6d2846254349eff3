package org.epost.peer;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.epost.peer.directory.DirectoryStoreException;
import org.epost.peer.directory.PeerDirectoryStore;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The "ePOST" entry of James's {@code /healthcheck}: unhealthy when the peer's own store does not answer. */
public class EpostHealthCheck implements HealthCheck {
    public static final ComponentName COMPONENT = new ComponentName("ePOST");

    private final PeerDirectoryStore store;

    @Inject
    public EpostHealthCheck(PeerDirectoryStore store) {
        this.store = store;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(this::checkNow).subscribeOn(Schedulers.boundedElastic());
    }

    Result checkNow() {
        try {
            store.probe();
            return Result.healthy(COMPONENT);
        } catch (DirectoryStoreException e) {
            return Result.unhealthy(COMPONENT, "The peer directory store does not answer: " + e.getMessage(), e);
        }
    }
}

package org.epost.peer.imap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * Runs the writes of one IMAP command one after the other, in the order they were submitted, from whatever threads
 * submit them. A submitter never waits: when a write is running, the new one is queued and the thread that finishes
 * the running write starts it; when none is running, it starts at once on the submitting thread. A write that fails
 * is logged and the next one runs. Once closed, submitted writes are dropped.
 */
final class SerialWrites {
    private static final Logger LOGGER = LoggerFactory.getLogger(SerialWrites.class);

    private FluxSink<Mono<Void>> sink;

    SerialWrites() {
        // Flux.create hands over its sink during subscribe(), so it is set before the constructor returns;
        // its serialized sink lets any thread call next() while another thread is inside a write.
        Flux.<Mono<Void>>create(created -> sink = created)
            .concatMap(write -> write.onErrorResume(e -> {
                LOGGER.warn("An IMAP response could not be written", e);
                return Mono.empty();
            }))
            .subscribe();
    }

    /** Queues {@code write} (subscribed when its turn comes). */
    void submit(Mono<Void> write) {
        sink.next(write);
    }

    /** Writes already submitted still run; later ones are dropped. */
    void close() {
        sink.complete();
    }
}

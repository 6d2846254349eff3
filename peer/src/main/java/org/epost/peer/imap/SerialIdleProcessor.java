package org.epost.peer.imap;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.inject.Inject;

import org.apache.james.events.Event;
import org.apache.james.events.EventListener;
import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.IdleRequest;
import org.apache.james.imap.message.response.ContinuationResponse;
import org.apache.james.imap.processor.AbstractMailboxProcessor;
import org.apache.james.imap.processor.CapabilityImplementingProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.events.MailboxEvents.Added;
import org.apache.james.mailbox.events.MailboxEvents.Expunged;
import org.apache.james.mailbox.events.MailboxEvents.FlagsUpdated;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.util.MDCBuilder;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * IMAP IDLE (RFC 2177) whose writes never overlap and never follow the command's tagged answer. It replaces James
 * 3.8.1's {@code IdleProcessor} (through {@link EpostImapPackage}), which writes to the command's response composer,
 * a buffer that is not thread-safe, from the event bus threads, the heartbeat timer, the Netty event loop (DONE) and
 * the command's own thread at once, and whose listener still writes when an event reaches it after DONE: bytes come
 * out twice or not at all, and a late EXISTS or EXPUNGE lands inside the next command's answer, even inside a FETCH
 * literal (seen with {@code it-tests/bench/imap_soak.py}, on stock James as on ePOST peers).
 *
 * <p>Here every write of one IDLE command goes through one {@link SerialWrites}: the continuation, each report of
 * mailbox changes, each heartbeat, and the tagged answer to DONE. After DONE, a change that had not been reported yet
 * stays in the selected mailbox's state and is reported by the client's next command, as for any other command.
 */
public final class SerialIdleProcessor extends AbstractMailboxProcessor<IdleRequest> implements CapabilityImplementingProcessor {
    private static final Logger LOGGER = LoggerFactory.getLogger(SerialIdleProcessor.class);
    private static final List<Capability> CAPABILITIES = List.of(ImapConstants.SUPPORTS_IDLE);
    private static final String DONE = "DONE";

    private Duration heartbeatInterval = Duration.ofSeconds(ImapConfiguration.DEFAULT_HEARTBEAT_INTERVAL_IN_SECONDS);
    private boolean heartbeats = ImapConfiguration.DEFAULT_ENABLE_IDLE;

    @Inject
    public SerialIdleProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(IdleRequest.class, mailboxManager, factory, metricFactory);
    }

    @Override
    public void configure(ImapConfiguration configuration) {
        super.configure(configuration);
        heartbeatInterval = configuration.idleTimeIntervalAsDuration();
        heartbeats = configuration.isEnableIdle();
    }

    @Override
    protected Mono<Void> processRequestReactive(IdleRequest request, ImapSession session, Responder responder) {
        return Mono.create(processed -> new Idle(request, session, responder).start(processed));
    }

    @Override
    public List<Capability> getImplementedCapabilities(ImapSession session) {
        return CAPABILITIES;
    }

    @Override
    protected MDCBuilder mdc(IdleRequest request) {
        return MDCBuilder.create().addToContext(MDCBuilder.ACTION, "IDLE");
    }

    /** One IDLE command, from its continuation to the answer to DONE. */
    private final class Idle implements EventListener.ReactiveEventListener {
        private final IdleRequest request;
        private final ImapSession session;
        private final Responder responder;
        private final SelectedMailbox selected;
        private final SerialWrites writes = new SerialWrites();
        private final AtomicBoolean active = new AtomicBoolean(true);

        Idle(IdleRequest request, ImapSession session, Responder responder) {
            this.request = request;
            this.session = session;
            this.responder = responder;
            this.selected = session.getSelected();
        }

        void start(MonoSink<Void> processed) {
            if (selected != null) {
                selected.registerIdle(this);
            }
            session.pushLineHandler((ignored, line) -> done(line));
            writes.submit(Mono.defer(() -> {
                responder.respond(new ContinuationResponse(HumanReadableText.IDLING));
                return unsolicitedResponses(session, responder, false);
            })
                .then(Mono.<Void>fromRunnable(() -> {
                    responder.flush();
                    // The command's processing ends inside this write: James then flushes the same composer on this
                    // thread, and no other write of this IDLE can start before that flush is over.
                    processed.success();
                }))
                .onErrorResume(e -> {
                    if (stop()) {
                        session.popLineHandler();
                    }
                    processed.error(e);
                    return Mono.empty();
                }));
            if (heartbeats) {
                session.schedule(this::heartbeat, heartbeatInterval);
            }
        }

        /** The line the client sent while idling: DONE ends the command, anything else too but as an error. */
        private void done(byte[] data) {
            session.popLineHandler();
            stop();
            String line = new String(data, StandardCharsets.US_ASCII).strip();
            writes.submit(Mono.fromRunnable(() -> {
                if (DONE.equals(line.toUpperCase(Locale.US))) {
                    okComplete(request, responder);
                } else {
                    LOGGER.info("IMAP IDLE ended by '{}' instead of DONE", line);
                    taggedBad(request, responder, new HumanReadableText("org.apache.james.imap.INVALID_CONTINUATION",
                        "failed. Continuation for IMAP IDLE was not understood. Expected 'DONE', got '" + line + "'."));
                }
                responder.flush();
            }));
            writes.close();
        }

        /** Ends idling; false when it had already ended. */
        private boolean stop() {
            if (!active.getAndSet(false)) {
                return false;
            }
            if (selected != null) {
                selected.unregisterIdle();
            }
            return true;
        }

        private void heartbeat() {
            if (active.get() && session.getState() != ImapSessionState.LOGOUT) {
                writes.submit(whileIdling(Mono.fromRunnable(() -> {
                    responder.respond(getStatusResponseFactory().untaggedOk(HumanReadableText.HEARTBEAT));
                    responder.flush();
                })));
                session.schedule(this::heartbeat, heartbeatInterval);
            }
        }

        /** {@code write}, unless DONE came first (what it would have reported is left to the next command). */
        private Mono<Void> whileIdling(Mono<Void> write) {
            return Mono.defer(() -> active.get() ? write : Mono.empty());
        }

        @Override
        public boolean isHandling(Event event) {
            return event instanceof Added || event instanceof Expunged || event instanceof FlagsUpdated;
        }

        @Override
        public Publisher<Void> reactiveEvent(Event event) {
            // Lazy: the selected mailbox subscribes this after it has taken the event into its own state.
            return Mono.fromRunnable(() -> {
                if (active.get()) {
                    writes.submit(whileIdling(Mono.defer(() -> unsolicitedResponses(session, responder, false))
                        .then(Mono.fromRunnable(responder::flush))));
                }
            });
        }

        @Override
        public ExecutionMode getExecutionMode() {
            return ExecutionMode.ASYNCHRONOUS;
        }
    }
}

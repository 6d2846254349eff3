package org.epost.peer.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.james.core.Username;
import org.apache.james.events.Event;
import org.apache.james.events.EventListener;
import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.message.request.IdleRequest;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;
import org.apache.james.imap.processor.IdleProcessor;
import org.apache.james.imap.processor.base.SelectedMailboxImpl;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.events.MailboxEvents.Added;
import org.apache.james.mailbox.events.MailboxIdRegistrationKey;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.mime4j.dom.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * IDLE through {@link SerialIdleProcessor} on James's in-memory mailbox, with James's own selected mailbox, encoder
 * and response composer. The selected mailbox is not registered on the event bus: the test hands it each event at
 * the moment it chooses, as a busy event bus thread would, so the races of James 3.8.1's IDLE are reproduced
 * deterministically (the last test shows James's own processor failing the first of them).
 */
class SerialIdleProcessorTest {
    private static final Tag TAG = new Tag("A1");

    private final InMemoryIntegrationResources resources = InMemoryIntegrationResources.defaultResources();
    private final MailboxManager mailboxes = resources.getMailboxManager();
    private final MailboxSession bob = mailboxes.createSystemSession(Username.of("bob@epost.test"));
    private final List<Added> added = new CopyOnWriteArrayList<>();
    private final WireResponder wire = new WireResponder();
    private final ExecutorService eventThread = Executors.newSingleThreadExecutor();
    private MessageManager inbox;
    private IdleTestSession session;
    private SelectedMailboxImpl selected;

    @BeforeEach
    void selectInbox() throws Exception {
        MailboxId id = mailboxes.createMailbox(MailboxPath.inbox(bob), bob).orElseThrow();
        inbox = mailboxes.getMailbox(id, bob);
        Mono.from(resources.getEventBus().register(new AddedRecorder(), new MailboxIdRegistrationKey(id))).block();
        session = new IdleTestSession(bob);
        selected = new SelectedMailboxImpl(mailboxes, resources.getEventBus(), session, inbox);
        session.selected(selected).block();
    }

    @AfterEach
    void stopEventThread() {
        eventThread.shutdownNow();
    }

    @Test
    void answersDoneAfterTheContinuation() {
        idle(processor(false));
        assertThat(wire.written()).isEqualTo("+ Idling\r\n");
        assertThat(session.readsCommands()).isFalse();

        session.sendLine("DONE");

        assertThat(wire.written()).isEqualTo("+ Idling\r\nA1 OK IDLE completed.\r\n");
        assertThat(session.readsCommands()).isTrue();
    }

    @Test
    void reportsNewMailWhileIdling() throws Exception {
        idle(processor(false));

        deliver(append("one"));
        session.sendLine("DONE");

        assertThat(wire.written()).isEqualTo("+ Idling\r\n* 1 EXISTS\r\n* 1 RECENT\r\nA1 OK IDLE completed.\r\n");
    }

    @Test
    void writesNothingOnceDoneIsAnswered() throws Exception {
        idle(processor(false));
        Added mail = append("late");
        // Taken while idling, handed over after DONE: an event bus thread that ran late on a loaded machine.
        Mono<Void> lateDelivery = Mono.from(selected.reactiveEvent(mail));

        session.sendLine("DONE");
        lateDelivery.block();

        assertThat(wire.written()).isEqualTo("+ Idling\r\nA1 OK IDLE completed.\r\n");
        assertThat(selected.isSizeChanged()).as("left for the next command to report").isTrue();
        assertThat(selected.existsCount()).isEqualTo(1);
    }

    @Test
    void writesOneReportAtATimeWhenChangesArriveTogether() throws Exception {
        idle(processor(false));
        Added first = append("first");
        Added second = append("second");
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        wire.holdNextFlush(flushing, release);

        Future<?> firstDelivery = eventThread.submit(() -> deliver(first));
        flushing.await();
        // A second event bus thread while the first report is being flushed: it must not touch the responder now.
        deliver(second);
        int threadsBeforeRelease = wire.mostThreadsAtOnce();
        release.countDown();
        firstDelivery.get();
        CountDownLatch answered = wire.whenWritten("A1 OK");
        session.sendLine("DONE");
        answered.await();

        assertThat(threadsBeforeRelease).isEqualTo(1);
        assertThat(wire.mostThreadsAtOnce()).isEqualTo(1);
        assertThat(wire.written()).isEqualTo("+ Idling\r\n* 1 EXISTS\r\n* 1 RECENT\r\n* 2 EXISTS\r\n* 2 RECENT\r\n"
            + "A1 OK IDLE completed.\r\n");
    }

    @Test
    void heartbeatsOnlyWhileIdling() {
        idle(processor(true));

        session.scheduled().get(0).run();
        session.sendLine("DONE");
        session.scheduled().forEach(Runnable::run);

        assertThat(wire.written()).isEqualTo("+ Idling\r\n* OK Still here\r\nA1 OK IDLE completed.\r\n");
    }

    @Test
    void aLineOtherThanDoneEndsIdleWithBad() {
        idle(processor(false));

        session.sendLine("NOOP");

        assertThat(wire.written()).startsWith("+ Idling\r\nA1 BAD IDLE failed. Continuation for IMAP IDLE was not "
            + "understood. Expected 'DONE', got 'NOOP'.");
        assertThat(session.readsCommands()).isTrue();
    }

    @Test
    void idlesWithoutASelectedMailbox() {
        session.deselect().block();
        idle(processor(false));

        session.sendLine("done");

        assertThat(wire.written()).isEqualTo("+ Idling\r\nA1 OK IDLE completed.\r\n");
    }

    /** Why James's processor is replaced: this documents its behaviour in 3.8.1 (a James upgrade may change it). */
    @Test
    void jamesIdleProcessorWritesAfterItsAnswerToDone() throws Exception {
        IdleProcessor james = new IdleProcessor(mailboxes, new UnpooledStatusResponseFactory(), new RecordingMetricFactory());
        james.configure(ImapConfiguration.builder().enableIdle(false).build());
        idle(james);
        Mono<Void> lateDelivery = Mono.from(selected.reactiveEvent(append("late")));

        session.sendLine("DONE");
        lateDelivery.block();

        assertThat(wire.written()).isEqualTo("+ Idling\r\nA1 OK IDLE completed.\r\n* 1 EXISTS\r\n* 1 RECENT\r\n");
    }

    private SerialIdleProcessor processor(boolean heartbeats) {
        SerialIdleProcessor processor = new SerialIdleProcessor(mailboxes, new UnpooledStatusResponseFactory(),
            new RecordingMetricFactory());
        processor.configure(ImapConfiguration.builder().enableIdle(heartbeats).build());
        return processor;
    }

    /** Runs IDLE as James's Netty handler does: the processing, then a flush of the command's responder. */
    private void idle(ImapProcessor processor) {
        Mono.from(processor.processReactive(new IdleRequest(TAG), wire, session))
            .doOnEach(signal -> wire.flush())
            .block();
    }

    /** Appends a message through the real mailbox manager; returns the event the selected mailbox would get. */
    private Added append(String subject) throws Exception {
        int before = added.size();
        inbox.appendMessage(MessageManager.AppendCommand.from(Message.Builder.of()
            .setSubject(subject)
            .setBody("hello", StandardCharsets.UTF_8)), bob);
        assertThat(added).hasSize(before + 1);
        return added.get(before);
    }

    private void deliver(Event event) {
        Mono.from(selected.reactiveEvent(event)).block();
    }

    private final class AddedRecorder implements EventListener.ReactiveEventListener {
        @Override
        public Publisher<Void> reactiveEvent(Event event) {
            return Mono.fromRunnable(() -> {
                if (event instanceof Added mail) {
                    added.add(mail);
                }
            });
        }
    }
}

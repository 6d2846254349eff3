package org.epost.peer.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.events.Event;
import org.apache.james.events.EventListener;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imap.encode.ImapResponseEncoder;
import org.apache.james.imap.encode.base.EndImapEncoder;
import org.apache.james.imap.encode.main.DefaultImapEncoderFactory;
import org.apache.james.imap.encode.main.DefaultLocalizer;
import org.apache.james.imap.api.display.Localizer;
import org.apache.james.imap.message.request.NoopRequest;
import org.apache.james.imap.message.response.ExpungeResponse;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;
import org.apache.james.imap.processor.NoopProcessor;
import org.apache.james.imap.processor.base.SelectedMailboxImpl;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.NullableMessageSequenceNumber;
import org.apache.james.mailbox.events.MailboxEvents.Expunged;
import org.apache.james.mailbox.events.MailboxIdRegistrationKey;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.mime4j.dom.Message;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import com.google.inject.Guice;
import com.google.inject.Injector;

import reactor.core.publisher.Mono;

class KnownMessageExpungeEncoderTest {
    private static final Tag TAG = new Tag("A1");

    @Test
    void announcesTheExpungeOfAMessageTheSessionKnows() {
        WireResponder wire = new WireResponder(epostEncoder());

        wire.respond(new ExpungeResponse(NullableMessageSequenceNumber.of(3)));
        wire.flush();

        assertThat(wire.written()).isEqualTo("* 3 EXPUNGE\r\n");
    }

    @Test
    void saysNothingOfAMessageTheSessionHasNoNumberFor() {
        WireResponder wire = new WireResponder(epostEncoder());

        wire.respond(new ExpungeResponse(NullableMessageSequenceNumber.noMessage()));
        wire.flush();

        assertThat(wire.written()).isEmpty();
    }

    /**
     * The race behind it, on James's in-memory mailbox: a session starts listening to the INBOX, a message is
     * expunged, then the session lists the INBOX (without that message); at its next command James reports the
     * expunge of a message the session never numbered.
     */
    @Test
    void noopAfterTheExpungeOfAMessageTheSessionNeverListedAnswersOnlyOk() throws Exception {
        assertThat(noopAfterExpungeOfUnlistedMessage(epostEncoder())).isEqualTo("A1 OK NOOP completed.\r\n");
    }

    /** What stock James 3.8.1 answers in the same situation: a line no IMAP client can parse. */
    @Test
    void jamesEncoderAnswersMinusOne() throws Exception {
        ImapEncoder james = DefaultImapEncoderFactory.createDefaultEncoder(new DefaultLocalizer(), false);

        assertThat(noopAfterExpungeOfUnlistedMessage(james)).isEqualTo("* -1 EXPUNGE\r\nA1 OK NOOP completed.\r\n");
    }

    private static String noopAfterExpungeOfUnlistedMessage(ImapEncoder encoder) throws Exception {
        InMemoryIntegrationResources resources = InMemoryIntegrationResources.defaultResources();
        MailboxManager mailboxes = resources.getMailboxManager();
        MailboxSession bob = mailboxes.createSystemSession(Username.of("bob@epost.test"));
        MailboxId id = mailboxes.createMailbox(MailboxPath.inbox(bob), bob).orElseThrow();
        MessageManager inbox = mailboxes.getMailbox(id, bob);
        List<Expunged> expunged = new CopyOnWriteArrayList<>();
        EventListener.ReactiveEventListener recorder = event -> recordExpunged(event, expunged);
        Mono.from(resources.getEventBus().register(recorder, new MailboxIdRegistrationKey(id))).block();
        IdleTestSession session = new IdleTestSession(bob);
        // Its listing (empty: the INBOX is empty now) is what the session numbers messages by.
        SelectedMailboxImpl selected = new SelectedMailboxImpl(mailboxes, resources.getEventBus(), session, inbox);
        session.selected(selected).block();

        inbox.appendMessage(MessageManager.AppendCommand.from(Message.Builder.of()
            .setSubject("gone before it was listed")
            .setBody("hello", StandardCharsets.UTF_8)), bob);
        inbox.setFlags(new Flags(Flags.Flag.DELETED), MessageManager.FlagsUpdateMode.ADD, MessageRange.all(), bob);
        inbox.expunge(MessageRange.all(), bob);
        assertThat(expunged).hasSize(1);
        Mono.from(selected.reactiveEvent(expunged.get(0))).block();

        WireResponder wire = new WireResponder(encoder);
        ImapProcessor noop = new NoopProcessor(mailboxes, new UnpooledStatusResponseFactory(), new RecordingMetricFactory());
        Mono.from(noop.processReactive(new NoopRequest(TAG), wire, session)).block();
        wire.flush();
        return wire.written();
    }

    private static Publisher<Void> recordExpunged(Event event, List<Expunged> expunged) {
        return Mono.fromRunnable(() -> {
            if (event instanceof Expunged gone) {
                expunged.add(gone);
            }
        });
    }

    /** The encoders of {@link EpostImapPackage}, built the way James builds them (by Guice, from their names). */
    static ImapEncoder epostEncoder() {
        Injector injector = Guice.createInjector(binder -> binder.bind(Localizer.class).to(DefaultLocalizer.class));
        return new DefaultImapEncoderFactory.DefaultImapEncoder(new EpostImapPackage().encoders().stream()
            .map(name -> (ImapResponseEncoder) injector.getInstance(load(name.getName()))), new EndImapEncoder());
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}

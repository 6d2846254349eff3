package org.epost.peer.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.apache.james.mailbox.model.MailboxPath;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.notify.Notification;
import org.epost.post.store.PartStore;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.spam.policy.Sender;
import org.epost.spam.policy.Verdict;
import org.epost.post.notify.NotificationRefusedException;
import org.epost.post.notify.RefusalReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The appender asks the delivery policy, with the sender it stamped, and puts blocked mail in Junk, not INBOX. */
class InboxAppenderJunkTest {
    private static final byte[] MESSAGE = ("From: mallory@epost.test\r\nTo: bob@epost.test\r\nSubject: offer\r\n\r\n"
        + "buy now\r\n").getBytes(StandardCharsets.US_ASCII);

    private final InMemoryBlockService blocks = new InMemoryBlockService();
    private final MimeMessageStore messages = new MimeMessageStore(new PartStore(blocks,
        new ConvergentCipher(Optional.empty())), MimeMessageStore.Config.defaults());
    private final MailboxManager mailboxes = InMemoryIntegrationResources.defaultResources().getMailboxManager();
    private final ExecutorService io = Executors.newSingleThreadExecutor();
    private final List<Optional<Sender>> asked = new ArrayList<>();
    private final InboxAppender appender = new InboxAppender(messages, mailboxes, io, (recipient, sender) -> {
        asked.add(sender);
        if (recipient.endsWith("@refusing.example")) {
            return Verdict.REFUSE_FIRST_CONTACT;
        }
        return recipient.startsWith("bob") ? Verdict.JUNK : recipient.endsWith("@discarding.example")
            ? Verdict.DISCARD : Verdict.INBOX;
    });

    @AfterEach
    void stop() throws InterruptedException {
        io.shutdown();
        io.awaitTermination(10, TimeUnit.SECONDS);
    }

    private void deliver(String recipient) throws Exception {
        MessageReference reference = messages.store(MESSAGE, Long.MAX_VALUE).join();
        appender.accept(Notification.create("mallory@epost.test", recipient, "offer", 1_700_000_000_000L,
            List.of(reference.encode()), reference.size()), null).get(30, TimeUnit.SECONDS);
    }

    @Test
    void junkedMailLandsInTheJunkFolderCreatedOnFirstUseAndTheRestInInbox() throws Exception {
        deliver("bob@epost.test");
        deliver("carol@epost.test");

        assertThat(asked).containsExactly(Optional.of(Sender.verified("mallory@epost.test")),
            Optional.of(Sender.verified("mallory@epost.test")));
        assertThat(read("bob@epost.test", "Spam")).hasSize(1);
        assertThat(Inboxes.read(mailboxes, "bob@epost.test")).isEmpty();
        assertThat(Inboxes.read(mailboxes, "carol@epost.test")).hasSize(1);
        assertThat(read("carol@epost.test", "Spam")).isEmpty();
    }

    @Test
    void discardedMailIsRefusedForGoodWithTheBlockedReasonAndAppendedNowhere() throws Exception {
        assertThatThrownBy(() -> deliver("dan@discarding.example")).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(NotificationRefusedException.class)
            .satisfies(e -> assertThat(((NotificationRefusedException) e).reason()).isEqualTo(RefusalReason.BLOCKED));
        assertThat(Inboxes.read(mailboxes, "dan@discarding.example")).isEmpty();
        assertThat(read("dan@discarding.example", "Spam")).isEmpty();
    }

    @Test
    void aRefusedFirstContactIsRefusedForGoodWithItsOwnReasonAndAppendedNowhere() throws Exception {
        assertThatThrownBy(() -> deliver("erin@refusing.example")).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(NotificationRefusedException.class)
            .satisfies(e -> assertThat(((NotificationRefusedException) e).reason())
                .isEqualTo(RefusalReason.NO_FIRST_CONTACT_PUZZLE));
        assertThat(Inboxes.read(mailboxes, "erin@refusing.example")).isEmpty();
        assertThat(read("erin@refusing.example", "Spam")).isEmpty();
    }

    @Test
    void anExistingJunkFolderIsUsed() throws Exception {
        MailboxSession session = mailboxes.createSystemSession(Username.of("bob@epost.test"));
        mailboxes.createMailbox(MailboxPath.forUser(Username.of("bob@epost.test"), "Junk"), session);

        deliver("bob@epost.test");

        assertThat(read("bob@epost.test", "Junk")).hasSize(1);
        assertThat(read("bob@epost.test", "Spam")).isEmpty();
    }

    private List<byte[]> read(String user, String folder) throws Exception {
        return Inboxes.read(mailboxes, user, folder);
    }
}

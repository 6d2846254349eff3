package org.epost.peer.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.notify.Notification;
import org.epost.post.store.PartStore;
import org.epost.post.store.PartUnavailableException;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The INBOX appender alone: a message store over blocks in memory, James's in-memory mailboxes. */
class InboxAppenderTest {
    private static final byte[] MESSAGE = ("From: alice@epost.test\r\nTo: bob@epost.test\r\nSubject: hi\r\n\r\n"
        + "Hello Bob,\r\nthis is exactly what you read.\r\n").getBytes(StandardCharsets.US_ASCII);

    private final InMemoryBlockService blocks = new InMemoryBlockService();
    private final MimeMessageStore messages = new MimeMessageStore(new PartStore(blocks,
        new ConvergentCipher(Optional.empty())), MimeMessageStore.Config.defaults());
    private final MailboxManager mailboxes = InMemoryIntegrationResources.defaultResources().getMailboxManager();
    private final ExecutorService io = Executors.newSingleThreadExecutor();
    private final InboxAppender appender = new InboxAppender(messages, mailboxes, io);

    @AfterEach
    void stop() throws InterruptedException {
        io.shutdown();
        io.awaitTermination(10, TimeUnit.SECONDS);
    }

    private Notification notificationFor(String recipient, MessageReference reference) {
        return Notification.create("alice@epost.test", recipient, "hi", 1_700_000_000_000L,
            List.of(reference.encode()), reference.size());
    }

    @Test
    void theNamedMessageIsAppendedByteForByteToTheRecipientsInboxCreatedOnFirstUse() throws Exception {
        MessageReference reference = messages.store(MESSAGE, Long.MAX_VALUE).join();
        assertThat(Inboxes.read(mailboxes, "bob@epost.test")).isEmpty();

        appender.accept(notificationFor("bob@epost.test", reference), null).get(30, TimeUnit.SECONDS);
        appender.accept(notificationFor("bob@epost.test", reference), null).get(30, TimeUnit.SECONDS);

        assertThat(Inboxes.read(mailboxes, "bob@epost.test")).hasSize(2).allSatisfy(m -> assertThat(m).isEqualTo(MESSAGE));
        assertThat(Inboxes.read(mailboxes, "carol@epost.test")).isEmpty();
    }

    @Test
    void aNotificationNamingNoMessageOrAMissingOneFailsAndAppendsNothing() throws Exception {
        MessageReference reference = messages.store(MESSAGE, Long.MAX_VALUE).join();
        Notification twoParts = Notification.create("alice@epost.test", "bob@epost.test", "x", 0,
            List.of(reference.encode(), reference.encode()), reference.size());
        Notification wrongSize = Notification.create("alice@epost.test", "bob@epost.test", "x", 0,
            List.of(reference.encode()), reference.size() + 1);
        blocks.clear();

        assertThat(catchThrowable(() -> appender.accept(twoParts, null).get(30, TimeUnit.SECONDS)))
            .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> appender.accept(wrongSize, null).get(30, TimeUnit.SECONDS)))
            .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> appender.accept(notificationFor("bob@epost.test", reference), null)
            .get(30, TimeUnit.SECONDS))).hasCauseInstanceOf(PartUnavailableException.class);
        assertThat(Inboxes.read(mailboxes, "bob@epost.test")).isEmpty();
    }
}

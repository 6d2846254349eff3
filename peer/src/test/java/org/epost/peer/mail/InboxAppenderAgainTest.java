package org.epost.peer.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.inmemory.manager.InMemoryIntegrationResources;
import org.epost.mailbox.PostIntegrationResources;
import org.epost.mailbox.support.CountingMessageStore;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.notify.Notification;
import org.epost.post.store.PartStore;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.spam.policy.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A notification handed over again after its earlier hand-over did not finish (the home peer died between the append
 * and marking its id seen): appended only when the mailbox does not hold it yet, on James's in-memory mailboxes and on
 * the ePOST backend (appended by reference), in INBOX and in the junk folder.
 */
class InboxAppenderAgainTest {
    private static final String BOB = "bob@epost.test";
    private static final byte[] MESSAGE = ("From: alice@epost.test\r\nTo: bob@epost.test\r\nSubject: once\r\n\r\n"
        + "Delivered exactly once.\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final long DATE = 1_700_000_000_000L;

    private final InMemoryBlockService blocks = new InMemoryBlockService();
    private final MimeMessageStore messages = new MimeMessageStore(new PartStore(blocks,
        new ConvergentCipher(Optional.empty())), MimeMessageStore.Config.defaults());
    private final ExecutorService io = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        io.shutdown();
        io.awaitTermination(10, TimeUnit.SECONDS);
    }

    private Notification notification(long date) {
        MessageReference reference = messages.store(MESSAGE, Long.MAX_VALUE).join();
        return Notification.create("alice@epost.test", BOB, "once", date, List.of(reference.encode()),
            reference.size());
    }

    private static void await(java.util.concurrent.CompletableFuture<Void> delivery) throws Exception {
        delivery.get(30, TimeUnit.SECONDS);
    }

    @Test
    void onJamesMailboxesAMailAppendedBeforeTheCrashIsNotAppendedAgainAndAMissingOneIs() throws Exception {
        MailboxManager mailboxes = InMemoryIntegrationResources.defaultResources().getMailboxManager();
        InboxAppender appender = InboxAppender.of(messages, mailboxes, io);
        Notification appendedBeforeCrash = notification(DATE);
        Notification lostInCrash = notification(DATE + 1);

        await(appender.accept(appendedBeforeCrash, null));
        await(appender.acceptAgain(appendedBeforeCrash, null));
        assertThat(Inboxes.read(mailboxes, BOB)).hasSize(1);

        // same bytes, another date: another mail, which the first attempt never appended
        await(appender.acceptAgain(lostInCrash, null));
        await(appender.acceptAgain(lostInCrash, null));
        assertThat(Inboxes.read(mailboxes, BOB)).hasSize(2);
    }

    @Test
    void onTheEpostBackendAMailAppendedByReferenceIsRecognizedAndNothingIsStored() throws Exception {
        CountingMessageStore counted = new CountingMessageStore(messages);
        PostIntegrationResources post = PostIntegrationResources.builder()
            .storage(new TestMailboxStorage(blocks, new InMemoryLogViewStore(), counted, LogConfig.defaults())).build();
        InboxAppender appender = InboxAppender.of(messages, post.getMailboxManager(), io);
        Notification n = notification(DATE);

        await(appender.acceptAgain(n, null));
        await(appender.acceptAgain(n, null));
        await(appender.acceptAgain(n, null));

        assertThat(Inboxes.read(post.getMailboxManager(), BOB)).containsExactly(concat(
            "X-ePOST-Origin: verified; sender=<alice@epost.test>\r\n", MESSAGE));
        assertThat(counted.stores()).isZero();
    }

    @Test
    void aMailJunkedBeforeTheCrashIsFoundInTheJunkFolder() throws Exception {
        MailboxManager mailboxes = InMemoryIntegrationResources.defaultResources().getMailboxManager();
        InboxAppender appender = new InboxAppender(messages, mailboxes, io, (recipient, sender) -> Verdict.JUNK);
        Notification n = notification(DATE);

        await(appender.accept(n, null));
        await(appender.acceptAgain(n, null));

        assertThat(Inboxes.read(mailboxes, BOB, "Spam")).hasSize(1);
        assertThat(Inboxes.read(mailboxes, BOB)).isEmpty();
    }

    private static byte[] concat(String head, byte[] tail) {
        byte[] first = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(first, first.length + tail.length);
        System.arraycopy(tail, 0, out, first.length, tail.length);
        return out;
    }
}

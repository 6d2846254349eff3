package org.epost.peer.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.mailet.Mail;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.notify.Notification;
import org.epost.post.notify.RefusalReason;
import org.epost.post.store.PartStore;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A refusal after a delegated 250 becomes a mail in James's spool for the bounce processor (DSNBounce), as the
 * synchronous refusal path hands it over: the original message fetched back from PAST, the refused recipient, the
 * sender, and the status DSNBounce reports.
 */
class LateBouncesTest {
    private static final byte[] MESSAGE = ("From: alice@epost.test\r\nTo: bob@epost.test\r\nSubject: hi\r\n\r\n"
        + "Hello Bob\r\n").getBytes(StandardCharsets.US_ASCII);

    private final MimeMessageStore messages = new MimeMessageStore(new PartStore(new InMemoryBlockService(),
        new ConvergentCipher(Optional.empty())), MimeMessageStore.Config.defaults());
    private final MemoryMailQueueFactory queues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory());
    private final ManageableMailQueue spool = queues.createQueue(MailQueueFactory.SPOOL);
    private final ExecutorService io = Executors.newSingleThreadExecutor();
    private final LateBounces bounces = new LateBounces(messages, spool, io);

    @AfterEach
    void stop() throws Exception {
        io.shutdown();
        io.awaitTermination(10, TimeUnit.SECONDS);
    }

    private List<Mail> spooled() throws Exception {
        // the bounce is spooled on the io thread: wait for it
        CompletableFuture.runAsync(() -> { }, io).get(30, TimeUnit.SECONDS);
        List<Mail> mails = new ArrayList<>();
        spool.browse().forEachRemaining(view -> mails.add(view.getMail()));
        return mails;
    }

    /** Alice's notification to bob of the message, stored. */
    private Notification stored() {
        MessageReference reference = messages.store(MESSAGE, Long.MAX_VALUE).join();
        return Notification.create("alice@epost.test", "bob@epost.test", "hi", 1_700_000_000_000L,
            List.of(reference.encode()), reference.size());
    }

    @Test
    void theMessageIsSpooledForTheBounceProcessorWithTheRefusedRecipientAndItsStatus() throws Exception {
        Notification n = stored();
        bounces.refused(n, "alice@epost.test", RefusalReason.QUOTA);

        assertThat(spooled()).singleElement().satisfies(mail -> {
            assertThat(mail.getState()).isEqualTo("bounces");
            assertThat(mail.getMaybeSender().asString()).isEqualTo("alice@epost.test");
            assertThat(mail.getRecipients()).extracting(Object::toString).containsExactly("bob@epost.test");
            assertThat(mail.getAttribute(LateBounces.DELIVERY_ERROR)).hasValueSatisfying(a ->
                assertThat(a.getValue().value()).isEqualTo(RefusalReason.QUOTA.status()));
            assertThat(mail.getErrorMessage()).contains(RefusalReason.QUOTA.text());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                mail.getMessage().writeTo(bytes);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(bytes.toString(StandardCharsets.US_ASCII)).contains("Subject: hi").contains("Hello Bob");
        });
    }

    @Test
    void aFirstContactRefusedForWantOfAPuzzleIsBouncedWithItsStatus() throws Exception {
        Notification n = stored();
        bounces.refused(n, "alice@epost.test", RefusalReason.NO_FIRST_CONTACT_PUZZLE);

        assertThat(spooled()).singleElement().satisfies(mail -> {
            assertThat(mail.getAttribute(LateBounces.DELIVERY_ERROR)).hasValueSatisfying(a ->
                assertThat(a.getValue().value()).isEqualTo("5.7.1"));
            assertThat(mail.getErrorMessage()).contains("only with a solved puzzle");
        });
    }

    @Test
    void aMessageNoLongerReadableIsBouncedWithWhatTheNotificationSays() throws Exception {
        // signed by the peer's relay account: the bounce goes to the return path all the same
        Notification n = Notification.create("relay-1@peers.epost.invalid", "bob@epost.test", "lost subject", 0,
            List.of(new byte[] {1, 2, 3}), 3);
        bounces.refused(n, "ext@outside.test", RefusalReason.UNKNOWN_USER);

        assertThat(spooled()).singleElement().satisfies(mail -> {
            assertThat(mail.getState()).isEqualTo("bounces");
            assertThat(mail.getRecipients()).extracting(Object::toString).containsExactly("bob@epost.test");
            assertThat(mail.getMaybeSender().asString()).isEqualTo("ext@outside.test");
            try {
                assertThat(mail.getMessage().getSubject()).isEqualTo("lost subject");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}

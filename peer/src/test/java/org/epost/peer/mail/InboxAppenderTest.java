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
import org.epost.post.notify.NotificationRefusedException;
import org.epost.post.notify.RefusalReason;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.epost.post.store.PartStore;
import org.epost.post.store.PartUnavailableException;
import org.epost.post.testing.InMemoryBlockService;
import org.epost.mailbox.PostIntegrationResources;
import org.epost.mailbox.support.CountingMessageStore;
import org.epost.mailbox.support.LargeMessages;
import org.epost.mailbox.support.TestMailboxStorage;
import org.epost.post.log.InMemoryLogViewStore;
import org.epost.post.log.LogConfig;
import org.epost.spam.policy.DeliveryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The INBOX appender alone: a message store over blocks in memory, James's in-memory mailboxes. */
class InboxAppenderTest {
    private static final byte[] MESSAGE = ("From: alice@epost.test\r\nTo: bob@epost.test\r\nSubject: hi\r\n\r\n"
        + "Hello Bob,\r\nthis is exactly what you read.\r\n").getBytes(StandardCharsets.US_ASCII);

    private final InMemoryBlockService blocks = new InMemoryBlockService();
    private final MimeMessageStore messages = new MimeMessageStore(new PartStore(blocks,
        new ConvergentCipher(Optional.empty())), MimeMessageStore.Config.defaults());
    private final InMemoryIntegrationResources resources = InMemoryIntegrationResources.defaultResources();
    private final MailboxManager mailboxes = resources.getMailboxManager();
    private final ExecutorService io = Executors.newSingleThreadExecutor();
    private final InboxAppender appender = InboxAppender.of(messages, mailboxes, io);

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

        // as stored, but for the origin header the home peer writes first (alice signed, but From: must be hers too)
        assertThat(Inboxes.read(mailboxes, "bob@epost.test")).hasSize(2).allSatisfy(m -> assertThat(m)
            .isEqualTo(concat("X-ePOST-Origin: verified; sender=<alice@epost.test>\r\n", MESSAGE)));
        assertThat(Inboxes.read(mailboxes, "carol@epost.test")).isEmpty();
    }

    private static byte[] concat(String head, byte[] tail) {
        byte[] first = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(first, first.length + tail.length);
        System.arraycopy(tail, 0, out, first.length, tail.length);
        return out;
    }

    @Test
    void forgedOriginHeadersAreReplacedAndARelaySignatureIsExternal() throws Exception {
        byte[] forged = ("X-ePOST-Origin: verified; sender=<boss@epost.test>\r\nFrom: boss@epost.test\r\n"
            + "x-epost-origin:\r\n verified; sender=<boss@epost.test>\r\nSubject: s\r\n\r\nbody\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        MessageReference reference = messages.store(forged, Long.MAX_VALUE).join();
        Notification fromRelay = Notification.create("relay-00@peers.epost.invalid", "bob@epost.test", "s", 0,
            List.of(reference.encode()), reference.size());
        appender.accept(fromRelay, null).get(30, TimeUnit.SECONDS);
        assertThat(new String(Inboxes.read(mailboxes, "bob@epost.test").get(0), StandardCharsets.US_ASCII))
            .isEqualTo("X-ePOST-Origin: external\r\nFrom: boss@epost.test\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void anInboxOverQuotaRefusesForGood() throws Exception {
        resources.getMaxQuotaManager().setGlobalMaxStorage(QuotaSizeLimit.size(MESSAGE.length / 2));
        MessageReference reference = messages.store(MESSAGE, Long.MAX_VALUE).join();
        Throwable failure = catchThrowable(() -> appender.accept(notificationFor("bob@epost.test", reference), null)
            .get(30, TimeUnit.SECONDS));
        assertThat(failure).hasCauseInstanceOf(NotificationRefusedException.class);
        assertThat(((NotificationRefusedException) failure.getCause()).reason()).isEqualTo(RefusalReason.QUOTA);
        assertThat(Inboxes.read(mailboxes, "bob@epost.test")).isEmpty();
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
            .hasCauseInstanceOf(NotificationRefusedException.class);
        assertThat(catchThrowable(() -> appender.accept(wrongSize, null).get(30, TimeUnit.SECONDS)))
            .hasCauseInstanceOf(NotificationRefusedException.class);
        assertThat(catchThrowable(() -> appender.accept(notificationFor("bob@epost.test", reference), null)
            .get(30, TimeUnit.SECONDS))).hasCauseInstanceOf(PartUnavailableException.class);
        assertThat(Inboxes.read(mailboxes, "bob@epost.test")).isEmpty();
    }

    @Test
    void onTheEpostBackendTheMessageIsAppendedByReferenceAndNotStoredAgain() throws Exception {
        OnPost post = onPost();
        MessageReference reference = messages.store(MESSAGE, Long.MAX_VALUE).join();
        byte[] forged = ("X-ePOST-Origin: verified; sender=<boss@epost.test>\r\n" + new String(MESSAGE,
            StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        MessageReference forgedReference = messages.store(forged, Long.MAX_VALUE).join();

        post.appender().accept(notificationFor("bob@epost.test", reference), null).get(30, TimeUnit.SECONDS);
        assertThat(post.counted().stores()).isZero();
        // a message that arrived with the header is rewritten, so stored again as the rewritten bytes
        post.appender().accept(notificationFor("bob@epost.test", forgedReference), null).get(30, TimeUnit.SECONDS);
        assertThat(post.counted().stores()).isEqualTo(1);

        byte[] stamped = concat("X-ePOST-Origin: verified; sender=<alice@epost.test>\r\n", MESSAGE);
        assertThat(Inboxes.read(post.mailboxes(), "bob@epost.test")).containsExactly(stamped, stamped);
    }

    @Test
    void behindAProxyAsJamesHandsItOutTheMapperFactoryStillMakesAppendsByReference() throws Exception {
        CountingMessageStore counted = new CountingMessageStore(messages);
        PostIntegrationResources post = PostIntegrationResources.builder()
            .storage(new TestMailboxStorage(blocks, new InMemoryLogViewStore(), counted, LogConfig.defaults())).build();
        MailboxManager proxied = (MailboxManager) java.lang.reflect.Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {MailboxManager.class}, (proxy, method, args) -> {
                try {
                    return method.invoke(post.getMailboxManager(), args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        MessageReference reference = messages.store(MESSAGE, Long.MAX_VALUE).join();

        InboxAppender.of(counted, proxied, post.getMapperFactory(), io, DeliveryPolicy.INBOX_ONLY)
            .accept(notificationFor("bob@epost.test", reference), null).get(30, TimeUnit.SECONDS);
        assertThat(counted.stores()).as("by reference").isZero();
        // without the factory, the proxy hides the backend: stored again
        InboxAppender.of(counted, proxied, io).accept(notificationFor("bob@epost.test", reference), null)
            .get(30, TimeUnit.SECONDS);
        assertThat(counted.stores()).as("by value").isPositive();
    }

    @Test
    void onTheEpostBackendALargeMessageIsAppendedAndReadBackWithoutEverBeingReadWhole() throws Exception {
        OnPost post = onPost();
        byte[] large = LargeMessages.withAttachment(5 << 20);
        MessageReference reference = messages.store(large, Long.MAX_VALUE).join();
        Notification notification = notificationFor("bob@epost.test", reference);

        post.appender().accept(notification, null).get(60, TimeUnit.SECONDS);
        // a retry after a crash compares the stored copy as a stream and appends nothing
        post.appender().acceptAgain(notification, null).get(60, TimeUnit.SECONDS);

        assertThat(Inboxes.read(post.mailboxes(), "bob@epost.test"))
            .containsExactly(concat("X-ePOST-Origin: verified; sender=<alice@epost.test>\r\n", large));
        assertThat(post.counted().stores()).isZero();
        assertThat(post.counted().fetches()).isZero();
        assertThat(post.counted().partFetches()).isZero();
        assertThat(post.counted().chunkFetches()).isPositive();
    }

    @Test
    void aLargeMessageWithForgedOriginHeadersIsRewrittenAndStoredAgainAsAStreamNeverWhole() throws Exception {
        OnPost post = onPost();
        byte[] large = LargeMessages.withAttachment(9 << 20);
        byte[] forged = concat("X-ePOST-Origin: verified; sender=<boss@epost.test>\r\nx-epost-origin :\r\n"
            + " verified; sender=<boss@epost.test>\r\n", large);
        MessageReference reference = messages.store(forged, Long.MAX_VALUE).join();

        post.appender().accept(notificationFor("bob@epost.test", reference), null).get(120, TimeUnit.SECONDS);

        // the stored message was never fetched whole and the rewritten one never handed to the store as an array:
        // it went through a scratch file, read a chunk at a time
        assertThat(post.counted().fetches()).isZero();
        assertThat(post.counted().stores()).isZero();
        assertThat(post.counted().streamedStores()).isEqualTo(1);
        assertThat(post.counted().largestStreamedRead()).isPositive().isLessThanOrEqualTo(2 << 20);
        assertThat(Inboxes.read(post.mailboxes(), "bob@epost.test"))
            .containsExactly(concat("X-ePOST-Origin: verified; sender=<alice@epost.test>\r\n", large));
    }

    @Test
    void aLargeMessageWithAHeaderSectionOver256KibIsRefusedForGoodAndNotAppended() throws Exception {
        OnPost post = onPost();
        StringBuilder header = new StringBuilder();
        for (int i = 0; header.length() <= InboxAppender.MAX_HEADER_BYTES; i++) {
            header.append("X-Filler-").append(i).append(": ").append("f".repeat(60)).append("\r\n");
        }
        byte[] message = concat(header.toString(), LargeMessages.withAttachment(2 << 20));
        MessageReference reference = messages.store(message, Long.MAX_VALUE).join();

        Throwable failure = catchThrowable(() -> post.appender().accept(notificationFor("bob@epost.test", reference),
            null).get(60, TimeUnit.SECONDS));

        // a signed refusal: the sending peer bounces it to its sender with this reason, nothing is lost silently
        assertThat(failure).hasCauseInstanceOf(NotificationRefusedException.class);
        assertThat(((NotificationRefusedException) failure.getCause()).reason()).isEqualTo(RefusalReason.UNREADABLE);
        assertThat(failure.getCause()).hasMessageContaining("header section is over 262144 bytes");
        assertThat(post.counted().fetches()).isZero();
        assertThat(Inboxes.read(post.mailboxes(), "bob@epost.test")).isEmpty();
    }

    @Test
    void aLoweredHeaderLimitRefusesALargeMessageTheDefaultWouldTake() throws Exception {
        OnPost post = onPost();
        StringBuilder header = new StringBuilder();
        for (int i = 0; header.length() <= 100 * 1024; i++) {
            header.append("X-Filler-").append(i).append(": ").append("f".repeat(60)).append("\r\n");
        }
        byte[] message = concat(header.toString(), LargeMessages.withAttachment(2 << 20));
        MessageReference reference = messages.store(message, Long.MAX_VALUE).join();

        Throwable failure = catchThrowable(() -> post.appender().withMaxHeaderBytes(64 * 1024)
            .accept(notificationFor("bob@epost.test", reference), null).get(60, TimeUnit.SECONDS));

        assertThat(failure).hasCauseInstanceOf(NotificationRefusedException.class);
        assertThat(((NotificationRefusedException) failure.getCause()).reason()).isEqualTo(RefusalReason.UNREADABLE);
        assertThat(failure.getCause()).hasMessageContaining("header section is over 65536 bytes");
        assertThat(Inboxes.read(post.mailboxes(), "bob@epost.test")).isEmpty();
    }

    /** The appender over the ePOST backend, both reading the message store through one counter. */
    private record OnPost(CountingMessageStore counted, MailboxManager mailboxes, InboxAppender appender) {
    }

    private OnPost onPost() {
        CountingMessageStore counted = new CountingMessageStore(messages);
        PostIntegrationResources post = PostIntegrationResources.builder()
            .storage(new TestMailboxStorage(blocks, new InMemoryLogViewStore(), counted, LogConfig.defaults())).build();
        return new OnPost(counted, post.getMailboxManager(), InboxAppender.of(counted, post.getMailboxManager(), io));
    }
}

package org.epost.mailets;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import javax.mail.MessagingException;

import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.sim.SimScheduler;
import org.epost.post.accounts.AccountException;
import org.epost.post.crypto.ConvergentCipher;
import org.epost.post.delivery.PostGateway;
import org.epost.post.delivery.PostSender;
import org.epost.post.delivery.RecipientDirectory;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MimeMessageStore;
import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationException;
import org.epost.post.notify.NotificationRefusedException;
import org.epost.post.notify.RefusalReason;
import org.epost.post.notify.NotificationService.Outcome;
import org.epost.post.store.PartStore;
import org.epost.post.testing.InMemoryBlockService;

/**
 * A peer's delivery side for the hook and mailet tests: a real {@link PostSender} and message store over blocks in
 * memory, with the ring's answers scripted — which addresses have certificates, whether the ring answers lookups,
 * which recipients' notifications fail — and every notification sent recorded.
 */
final class TestPeer implements PostGateway {
    static final String RELAY = "relay-0@peers.epost.invalid";

    final InMemoryBlockService blocks = new InMemoryBlockService();
    final Set<String> accounts = ConcurrentHashMap.newKeySet();
    final Set<String> failingRecipients = ConcurrentHashMap.newKeySet();
    /** Recipients whose home peer answers a signed refusal: over quota. */
    final Set<String> fullRecipients = ConcurrentHashMap.newKeySet();
    /** Recipients whose home peers refuse a first contact without a valid puzzle. */
    final Set<String> puzzleRefusingRecipients = ConcurrentHashMap.newKeySet();
    final List<Notification> sent = new ArrayList<>();
    volatile boolean running = true;
    volatile boolean ringAnswers = true;
    /** Addresses the split-delivery routes send to the legacy server. */
    final Set<String> legacy = ConcurrentHashMap.newKeySet();
    /** Legacy-routed addresses the legacy server refuses for good, with its reply. */
    final Map<String, String> legacyRefuses = new ConcurrentHashMap<>();
    /** Users of this peer waiting for their certificate (a peer without the user CA key). */
    final Set<String> pendingCertificates = ConcurrentHashMap.newKeySet();
    final MimeMessageStore messages;
    private final PostSender sender;

    TestPeer() {
        messages = new MimeMessageStore(new PartStore(blocks, new ConvergentCipher(Optional.empty())),
            MimeMessageStore.Config.defaults());
        SimScheduler scheduler = new SimScheduler();
        RecipientDirectory directory = new RecipientDirectory(domain -> domain.equals("epost.test"), address -> {
            if (!ringAnswers) {
                return CompletableFuture.failedFuture(new IllegalStateException("PAST lookup timed out"));
            }
            return accounts.contains(address) ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new AccountException(AccountException.Reason.NOT_FOUND, "none"));
        }, scheduler, 0, 0);
        sender = new PostSender(messages, this::send, directory, "alice@epost.test"::equals,
            () -> CompletableFuture.completedFuture(RELAY), scheduler, new PostSender.Settings(86_400_000L, 60_000));
    }

    private synchronized CompletableFuture<Outcome> send(Notification notification, Optional<String> returnPath) {
        sent.add(notification);
        if (failingRecipients.contains(notification.recipient())) {
            return CompletableFuture.failedFuture(new NotificationException("neither acknowledged nor delegated"));
        }
        if (puzzleRefusingRecipients.contains(notification.recipient())) {
            return CompletableFuture.failedFuture(new NotificationRefusedException(
                RefusalReason.NO_FIRST_CONTACT_PUZZLE, null));
        }
        if (fullRecipients.contains(notification.recipient())) {
            return CompletableFuture.failedFuture(new NotificationRefusedException(RefusalReason.QUOTA, null));
        }
        return CompletableFuture.completedFuture(Outcome.DELIVERED);
    }

    @Override
    public boolean isEpostDomain(String domain) {
        return domain.equals("epost.test");
    }

    @Override
    public boolean routedToLegacy(String address) {
        return legacy.contains(address);
    }

    @Override
    public Optional<String> legacyRefusal(String address) {
        return Optional.ofNullable(legacyRefuses.get(address));
    }

    @Override
    public boolean awaitsCertificate(String address) {
        return pendingCertificates.contains(address);
    }

    @Override
    public Optional<PostSender> sender() {
        return running ? Optional.of(sender) : Optional.empty();
    }

    /** {@code post.message.header.limit}, as a test sets it. */
    int maxHeaderBytes = MAX_HEADER_BYTES;

    @Override
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** From now on no block is stored: every insert times out, as on a ring without enough holders. */
    void storageFails() {
        blocks.answerInserts(block -> InMemoryBlockService.result(InsertResult.Status.TIMEOUT,
            "only 0 of 3 holders acknowledged"));
    }

    /** The message a notification names, read back from the blocks. */
    byte[] messageOf(Notification notification) {
        return messages.fetch(MessageReference.decode(notification.parts().get(0))).join();
    }

    private static final List<MailImpl> MAILS = new ArrayList<>();

    /** A mail as James's SMTP server makes it: its message read from the raw bytes received. */
    static synchronized MailImpl mail(String name, byte[] raw, String... recipients) throws MessagingException {
        MailImpl mail = MailImpl.builder()
            .name(name)
            .sender("someone@elsewhere.example")
            .addRecipients(recipients)
            .mimeMessage(new MimeMessageWrapper(MimeMessageInputStreamSource.create(name, new ByteArrayInputStream(raw))))
            .build();
        MAILS.add(mail);
        return mail;
    }

    /** Releases the message sources of the mails made so far (as James does once a mail is processed). */
    static synchronized void disposeMails() {
        MAILS.forEach(MailImpl::dispose);
        MAILS.clear();
    }
}

package org.epost.peer.mail;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageStore;
import org.epost.post.notify.Notification;
import org.epost.post.notify.RefusalReason;
import org.epost.post.notify.RefusedAfterDelegation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounces a mail whose delegated send (the SMTP client got 250) the recipient's home peer refused later: the message
 * the notification names is fetched back from PAST and put into James's spool, for the refused recipient, in the
 * {@value #BOUNCE_STATE} processor, with the {@code delivery-error} status James's {@code DSNBounce} reads, exactly as
 * the synchronous refusal path ({@code EpostDelivery}) hands it over: the sender gets an RFC 3464 report in the INBOX.
 * A message that cannot be fetched any more is bounced with its headers only (a report about what the notification
 * says). Failures are logged: the refusal itself is final either way.
 */
public final class LateBounces implements RefusedAfterDelegation {
    private static final Logger LOG = LoggerFactory.getLogger(LateBounces.class);
    static final String BOUNCE_STATE = "bounces";
    /** Where James's DSNBounce reads the status of a failed delivery. */
    static final AttributeName DELIVERY_ERROR = AttributeName.of("delivery-error");

    private final MessageStore messages;
    private final MailQueue spool;
    private final Executor io;

    public LateBounces(MessageStore messages, MailQueue spool, Executor io) {
        this.messages = Objects.requireNonNull(messages, "messages");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.io = Objects.requireNonNull(io, "io");
    }

    @Override
    public void refused(Notification notification, String returnPath, RefusalReason reason) {
        fetch(notification).exceptionally(failure -> {
            LOG.warn("Message of refused notification {} not readable ({}); bouncing a report without it",
                notification.idHex(), failure.toString());
            return null;
        }).thenAcceptAsync(message -> bounce(notification, returnPath, reason, message), io).exceptionally(failure -> {
            LOG.error("Cannot bounce {} to {} ({} refused it: {}): {}", notification.idHex(), returnPath,
                notification.recipient(), reason, failure.toString());
            return null;
        });
    }

    private CompletableFuture<byte[]> fetch(Notification notification) {
        List<byte[]> parts = notification.parts();
        if (parts.size() != 1) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no single message reference"));
        }
        try {
            return messages.fetch(MessageReference.decode(parts.get(0)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void bounce(Notification notification, String returnPath, RefusalReason reason, byte[] message) {
        try {
            MimeMessage mime = message != null ? new MimeMessage(null, new ByteArrayInputStream(message))
                : headersOnly(notification, returnPath);
            MailImpl mail = MailImpl.builder()
                .name("epost-late-bounce-" + notification.idHex())
                .sender(new MailAddress(returnPath))
                .addRecipient(new MailAddress(notification.recipient()))
                .mimeMessage(mime)
                .state(BOUNCE_STATE)
                .errorMessage("ePOST: " + reason.text())
                .addAttribute(new Attribute(DELIVERY_ERROR, AttributeValue.of(reason.status())))
                .build();
            try {
                spool.enQueue(mail);
            } finally {
                mail.dispose();
            }
            LOG.warn("ePOST delivery of {} to {} refused after delegation ({}); bounced to {}",
                notification.idHex(), notification.recipient(), reason, returnPath);
        } catch (MessagingException | RuntimeException e) {
            throw new IllegalStateException("cannot spool the bounce of " + notification.idHex(), e);
        }
    }

    private static MimeMessage headersOnly(Notification notification, String returnPath) throws MessagingException {
        MimeMessage mime = new MimeMessage((javax.mail.Session) null);
        mime.setFrom(returnPath);
        mime.setRecipients(javax.mail.Message.RecipientType.TO, notification.recipient());
        mime.setSubject(notification.subject(), "UTF-8");
        mime.setSentDate(new java.util.Date(notification.date()));
        mime.setText("(the message itself could not be read back)", "UTF-8");
        mime.saveChanges();
        return mime;
    }
}

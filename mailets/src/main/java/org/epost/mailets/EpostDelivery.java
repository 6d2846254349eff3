package org.epost.mailets;

import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.util.DurationParser;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.GenericMailet;
import org.epost.post.accounts.AccountAddress;
import org.epost.post.delivery.DeliveryReport;
import org.epost.post.delivery.OutgoingMessage;
import org.epost.post.delivery.PostGateway;
import org.epost.post.delivery.PostSender;
import org.epost.post.notify.RefusalReason;
import org.epost.post.store.RandomAccessBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers through ePOST the mail that reaches James's spool for ePOST recipients (JMAP submissions, forwards,
 * aliases rewritten to ePOST users, bounces, recipients the SMTP hook could not finish): the same delivery as
 * {@link EpostMessageHook} (stored once, one notification per recipient, done when each is durable). Use with the
 * {@link RecipientIsEpost} matcher in the {@code transport} processor, after the stock RecipientRewriteTable and before
 * the local delivery matchers.
 *
 * <p>Recipients that fail are never dropped: the mail is put back into the spool for them with a growing delay
 * ({@code retryDelay}, doubled per attempt up to an hour), to the {@code retryProcessor}, under the same mail name so
 * that a notification that did arrive is not delivered twice. After {@code maxRetries} attempts the mail goes to the
 * {@code failureProcessor} (stock: bounce and error repository). Recipients whose home peer refuses the mail for good
 * (a verified negative receipt: over quota, unreadable) are not retried: a copy for them goes to the
 * {@code bounceProcessor} (stock {@code bounces}: James's DSNBounce sends the sender an RFC 3464 report) with the
 * reason's status code in the {@code delivery-error} attribute.
 *
 * <p>Parameters: {@code retryDelay} (default 30s), {@code maxRetries} (default 20), {@code retryProcessor} (default
 * transport), {@code failureProcessor} (default error), {@code bounceProcessor} (default bounces).
 */
public class EpostDelivery extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(EpostDelivery.class);
    public static final AttributeName ATTEMPTS = AttributeName.of("org.epost.delivery.attempts");
    private static final Duration MAX_DELAY = Duration.ofHours(1);
    private static final long STORE_ALLOWANCE_MILLIS = 120_000;
    /** Where James's DSNBounce reads the status of a failed delivery (RemoteDelivery's Bouncer writes it too). */
    static final AttributeName DELIVERY_ERROR = AttributeName.of("delivery-error");

    private final PostGateway gateway;
    private final MailQueueFactory<?> queues;
    private MailQueue spool;
    private Duration retryDelay;
    private int maxRetries;
    private ProcessingState retryProcessor;
    private ProcessingState failureProcessor;
    private ProcessingState bounceProcessor;

    @Inject
    public EpostDelivery(PostGateway gateway, MailQueueFactory<?> queues) {
        this.gateway = gateway;
        this.queues = queues;
    }

    @Override
    public void init() throws MessagingException {
        try {
            retryDelay = DurationParser.parse(getInitParameter("retryDelay", "30s"), ChronoUnit.SECONDS);
            maxRetries = Integer.parseInt(getInitParameter("maxRetries", "20"));
        } catch (IllegalArgumentException e) {
            throw new MessagingException("EpostDelivery: retryDelay must be a duration (30s, 5m) and maxRetries a number: "
                + e.getMessage());
        }
        if (retryDelay.isNegative() || retryDelay.isZero() || maxRetries < 0) {
            throw new MessagingException("EpostDelivery: retryDelay must be positive and maxRetries not negative");
        }
        retryProcessor = new ProcessingState(getInitParameter("retryProcessor", "transport"));
        failureProcessor = new ProcessingState(getInitParameter("failureProcessor", Mail.ERROR));
        bounceProcessor = new ProcessingState(getInitParameter("bounceProcessor", "bounces"));
        spool = queues.createQueue(MailQueueFactory.SPOOL);
    }

    @Override
    public Collection<ProcessingState> requiredProcessingState() {
        return List.of(retryProcessor, failureProcessor, bounceProcessor);
    }

    @Override
    public void destroy() {
        try {
            if (spool != null) {
                spool.close();
            }
        } catch (Exception e) {
            LOG.debug("Closing the spool queue", e);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (headerTooLong(mail)) {
            LOG.warn("ePOST delivery of {} to {} refused: its header section is over {} bytes; bouncing to {}",
                mail.getName(), mail.getRecipients(), gateway.maxHeaderBytes(),
                mail.getMaybeSender().asString());
            bounceCopy(mail, List.copyOf(mail.getRecipients()), "5.3.4",
                "ePOST: the message's header section is over " + gateway.maxHeaderBytes() + " bytes");
            mail.setState(Mail.GHOST);
            return;
        }
        List<MailAddress> failed = new ArrayList<>();
        Map<MailAddress, RefusalReason> refused = new LinkedHashMap<>();
        String reason = deliver(mail, failed, refused);
        bounce(mail, refused);
        if (failed.isEmpty()) {
            mail.setState(Mail.GHOST);
            return;
        }
        int attempts = mail.getAttribute(ATTEMPTS).flatMap(a -> a.getValue().valueAs(Integer.class)).orElse(0) + 1;
        mail.setRecipients(failed);
        mail.setAttribute(new Attribute(ATTEMPTS, AttributeValue.of(attempts)));
        if (attempts > maxRetries) {
            LOG.warn("Giving up on ePOST delivery of {} to {} after {} attempts: {}", mail.getName(), failed, attempts,
                reason);
            mail.setErrorMessage("ePOST delivery to " + failed + " failed " + attempts + " times: " + reason);
            mail.setState(failureProcessor.getValue());
            return;
        }
        Duration delay = delayFor(attempts);
        LOG.warn("ePOST delivery of {} to {} failed (attempt {}): {}; retrying in {}", mail.getName(), failed, attempts,
            reason, delay);
        mail.setState(retryProcessor.getValue());
        spool.enQueue(mail, delay);
        mail.setState(Mail.GHOST);
    }

    /**
     * Hands a copy of the mail for the recipients refused for good to the bounce processor (stock: James's
     * {@code DSNBounce}, an RFC 3464 report to the sender), one copy per reason so each carries its status code.
     */
    private void bounce(Mail mail, Map<MailAddress, RefusalReason> refused) throws MessagingException {
        Map<RefusalReason, List<MailAddress>> byReason = new LinkedHashMap<>();
        refused.forEach((recipient, why) -> byReason.computeIfAbsent(why, r -> new ArrayList<>()).add(recipient));
        for (Map.Entry<RefusalReason, List<MailAddress>> entry : byReason.entrySet()) {
            RefusalReason why = entry.getKey();
            LOG.warn("ePOST delivery of {} to {} refused by the recipient's peer ({}); bouncing to {}",
                mail.getName(), entry.getValue(), why, mail.getMaybeSender().asString());
            bounceCopy(mail, entry.getValue(), why.status(), "ePOST: " + why.text());
        }
    }

    /** A copy of the mail for {@code recipients} to the bounce processor, with the DSN's status and error text. */
    private void bounceCopy(Mail mail, List<MailAddress> recipients, String status, String error)
            throws MessagingException {
        Mail copy = mail.duplicate();
        try {
            copy.setRecipients(recipients);
            copy.setErrorMessage(error);
            copy.setAttribute(new Attribute(DELIVERY_ERROR, AttributeValue.of(status)));
            getMailetContext().sendMail(copy, bounceProcessor.getValue());
        } finally {
            LifecycleUtil.dispose(copy);
        }
    }

    /**
     * Whether the header section is over what the recipients' peers accept: such a mail (from a JMAP submission, a
     * forward) is bounced here, nothing stored, as the SMTP hook refuses it, instead of being refused by each peer.
     * A header that cannot be read is left to the delivery, which then fails for its own reason.
     */
    private boolean headerTooLong(Mail mail) {
        try {
            return MailBytes.headerOver(mail, gateway.maxHeaderBytes());
        } catch (IOException | MessagingException e) {
            LOG.warn("Cannot read the header of {}: {}", mail.getName(), e.toString());
            return false;
        }
    }

    Duration delayFor(int attempts) {
        Duration delay = retryDelay.multipliedBy(1L << Math.min(attempts - 1, 20));
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }

    /**
     * Delivers to the mail's recipients; adds those that failed to {@code failed} and returns why, and those that
     * their home peer refused for good to {@code refused}.
     */
    private String deliver(Mail mail, List<MailAddress> failed, Map<MailAddress, RefusalReason> refused)
            throws MessagingException {
        Optional<PostSender> sender = gateway.sender();
        if (sender.isEmpty()) {
            failed.addAll(mail.getRecipients());
            return "ePOST is not running on this peer yet";
        }
        Optional<String> authenticated = mail.getAttribute(Mail.SMTP_AUTH_USER)
            .flatMap(attribute -> attribute.getValue().valueAs(String.class));
        DeliveryReport report;
        RandomAccessBytes message = null;
        try {
            message = MailBytes.open(mail, false, MailBytes.scratchDirectory());
            report = sender.get().deliver(new OutgoingMessage(message, authenticated,
                    mail.getRecipients().stream().map(MailAddress::asString).toList(), mail.getName(),
                    mail.getMaybeSender().asOptional().map(MailAddress::asString)))
                .get(sender.get().timeoutMillis() + STORE_ALLOWANCE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.addAll(mail.getRecipients());
            return "interrupted";
        } catch (Exception e) {
            failed.addAll(mail.getRecipients());
            return e.toString();
        } finally {
            MailBytes.release(message);
        }
        for (MailAddress recipient : mail.getRecipients()) {
            String address = AccountAddress.normalize(recipient.asString());
            if (report.refused().containsKey(address)) {
                refused.put(recipient, report.refused().get(address));
            } else if (!report.handledRecipients().contains(address)) {
                failed.add(recipient);
            }
        }
        if (!report.handled().isEmpty()) {
            LOG.info("Mail {} delivered through ePOST to {}", mail.getName(), report.handled());
        }
        return String.join("; ", report.failed().values());
    }
}

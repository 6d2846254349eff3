package org.epost.mailets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
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
 * Durable accept for ePOST recipients: after DATA, before James spools the mail ({@code SendMailHandler}), the message
 * is stored in PAST once and one notification per ePOST recipient is sent; the SMTP answer waits until every one is
 * delivered to the recipient's home peer or kept by delegates. Placed before James's CoreCmdHandlerLoader in
 * smtpserver.xml's handler chain, so that it runs before the stock message hooks.
 *
 * <ul>
 *   <li>every recipient an ePOST account, all durable: {@code 250}, and the mail never enters the spool (no
 *       plaintext on this peer's disk);</li>
 *   <li>other recipients too: the ePOST ones handled are removed from the mail, James spools it for the rest;</li>
 *   <li>some ePOST recipients failed after notifications went out: they stay in the mail, which James spools; the
 *       {@link EpostDelivery} mailet retries them under the same mail name, so a notification that did arrive is
 *       recognised by the recipient's peer and not delivered twice;</li>
 *   <li>every recipient refused for good by its home peer (a signed negative receipt): {@code 552 5.2.2} for a
 *       full mailbox ({@code 550 5.1.1} no mailbox, {@code 554 5.6.0} unreadable, {@code 550 5.7.1} a sender the
 *       recipient's domain discards), nothing accepted; when only
 *       some are refused, they stay in the spooled mail, and the {@link EpostDelivery} mailet bounces them (a DSN
 *       to the sender) when their peer refuses again;</li>
 *   <li>a header section over {@link PostGateway#maxHeaderBytes()}: {@code 552 5.3.4} at once, nothing
 *       stored (the recipient's peer would refuse it after a 250, a bounce later);</li>
 *   <li>nothing could be stored or sent: {@code 451 4.3.0}, nothing was accepted, the client tries again.</li>
 * </ul>
 * Notifications are signed by the SMTP-authenticated user when homed on this peer, else by the peer's relay account.
 */
public class EpostMessageHook implements JamesMessageHook {
    private static final Logger LOG = LoggerFactory.getLogger(EpostMessageHook.class);
    /** Beyond the sender's own per-recipient timeout: the time to store the message. */
    private static final long STORE_ALLOWANCE_MILLIS = 120_000;

    /** Shared by every SMTP server of this peer: the heap is. */
    private static final HeapBudget HEAP = HeapBudget.ofMaxHeap();

    private final PostGateway gateway;
    private final EpostRecipients recipients;
    private final HeapBudget heap;

    @Inject
    public EpostMessageHook(PostGateway gateway) {
        this(gateway, HEAP);
    }

    EpostMessageHook(PostGateway gateway, HeapBudget heap) {
        this.gateway = gateway;
        this.recipients = new EpostRecipients(gateway);
        this.heap = heap;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        return deliver(mail, Optional.ofNullable(session.getUsername()).map(Username::asString));
    }

    HookResult deliver(Mail mail, Optional<String> authenticatedUser) {
        Optional<PostSender> sender = gateway.sender();
        if (sender.isEmpty()) {
            return HookResult.DECLINED;
        }
        List<MailAddress> epost = new ArrayList<>();
        List<MailAddress> others = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            (recipients.kindOf(recipient) == RecipientKind.EPOST ? epost : others).add(recipient);
        }
        if (epost.isEmpty()) {
            return HookResult.DECLINED;
        }
        try {
            if (MailBytes.headerOver(mail, gateway.maxHeaderBytes())) {
                return headerTooLong(mail, gateway.maxHeaderBytes());
            }
        } catch (IOException | MessagingException e) {
            LOG.warn("Cannot read the header of {}: {}", mail.getName(), e.toString());
            return temporaryFailure(e.getMessage());
        }
        DeliveryReport report;
        long held = 0;
        RandomAccessBytes message = null;
        try {
            held = heap.acquire(HeapBudget.heldWhileStoring(mail.getMessageSize()));
            message = MailBytes.open(mail, true, MailBytes.scratchDirectory());
            report = sender.get().deliver(new OutgoingMessage(message, authenticatedUser,
                    epost.stream().map(MailAddress::asString).toList(), mail.getName(),
                    mail.getMaybeSender().asOptional().map(MailAddress::asString)))
                .get(sender.get().timeoutMillis() + STORE_ALLOWANCE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Delivery of {} to {} did not finish in time; James spools it for a retry", mail.getName(), epost);
            return HookResult.DECLINED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return temporaryFailure("interrupted");
        } catch (Exception e) {
            LOG.warn("Cannot deliver {} through ePOST: {}", mail.getName(), e.toString());
            return temporaryFailure(e instanceof ExecutionException ? e.getCause().getMessage() : e.getMessage());
        } finally {
            heap.release(held);
            MailBytes.release(message);
        }
        if (report.noneHandled() && !report.notificationsSent()) {
            return temporaryFailure(String.join("; ", report.failed().values()));
        }
        List<MailAddress> remaining = new ArrayList<>(others);
        for (MailAddress recipient : epost) {
            if (!report.handledRecipients().contains(AccountAddress.normalize(recipient.asString()))) {
                remaining.add(recipient);
            }
        }
        if (others.isEmpty() && report.noneHandled() && report.failed().isEmpty() && !report.refused().isEmpty()) {
            // every recipient's home peer refused it for good, while the client is still here: tell it now
            return permanentFailure(report.refused());
        }
        if (remaining.isEmpty()) {
            LOG.info("Mail {} delivered through ePOST to {}; not spooled", mail.getName(), report.handled());
            return HookResult.builder()
                .hookReturnCode(HookReturnCode.ok())
                .smtpDescription(DSNStatus.getStatus(DSNStatus.SUCCESS, DSNStatus.CONTENT_OTHER) + " Message received")
                .build();
        }
        LOG.info("Mail {} delivered through ePOST to {}; James spools it for {}", mail.getName(),
            report.handledRecipients(), remaining);
        mail.setRecipients(remaining);
        return HookResult.DECLINED;
    }

    /** A reason fit for an SMTP reply line: no line breaks, bounded. */
    static String oneLine(String text) {
        String flat = String.valueOf(text).replaceAll("[\\r\\n\\t]+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }

    private static HookResult permanentFailure(Map<String, RefusalReason> refused) {
        RefusalReason first = refused.values().iterator().next();
        StringBuilder why = new StringBuilder();
        refused.forEach((recipient, reason) -> why.append(why.length() == 0 ? "" : "; ").append(recipient).append(": ")
            .append(reason.text()));
        LOG.info("Mail refused for good by the home peers of {}", refused);
        return HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode(replyCode(first))
            .smtpDescription(first.status() + " Refused by the recipient's ePOST peer (" + oneLine(why.toString()) + ")")
            .build();
    }

    /**
     * RFC 5321's reply for the reason: 552 for a mailbox over its storage allocation, 550 for no mailbox or a sender
     * the recipient's organization refuses.
     */
    static String replyCode(RefusalReason reason) {
        return switch (reason) {
            case QUOTA -> "552";
            case UNKNOWN_USER -> "550";
            case UNREADABLE -> "554";
            case BLOCKED, NO_FIRST_CONTACT_PUZZLE -> "550";
        };
    }

    /**
     * {@code 552 5.3.4}: the header section is over what the recipients' peers accept. A size limit of this system
     * (RFC 3463's "message too big for system"), not a malformed message (5.6.x): permanent, as a client retrying
     * the same bytes would meet it again. Refused here, with nothing stored, rather than bounced by the recipient's
     * peer after a 250.
     */
    private static HookResult headerTooLong(Mail mail, int maxHeaderBytes) {
        LOG.info("Mail {} refused: its header section is over {} bytes", mail.getName(), maxHeaderBytes);
        return HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode("552")
            .smtpDescription(DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.SYSTEM_MSG_TOO_BIG)
                + " The message's header section is over " + maxHeaderBytes
                + " bytes, more than an ePOST peer accepts")
            .build();
    }

    private static HookResult temporaryFailure(String why) {
        return HookResult.builder()
            .hookReturnCode(HookReturnCode.denySoft())
            .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SYSTEM_OTHER)
                + " The message could not be stored durably in ePOST (" + oneLine(why) + "); try again later")
            .build();
    }
}

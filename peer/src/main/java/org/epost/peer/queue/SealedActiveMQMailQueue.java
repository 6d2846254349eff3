package org.epost.peer.queue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import javax.jms.ConnectionFactory;
import javax.jms.DeliveryMode;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.ObjectMessage;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQCacheableMailQueue;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.epost.post.spool.SealedSpoolBody;
import org.epost.post.spool.SpoolEnvelope;

/**
 * James's ActiveMQ mail queue, with each message sealed ({@link SealedSpoolBody}) before it goes into the JMS message
 * and so into the broker's journal, and opened again when a mail is taken from the queue (or browsed): James's
 * mailets, remote delivery among them, see the plaintext in memory only. The envelope (sender, recipients, mail
 * attributes: every JMS property James sets) is sealed too ({@link SpoolEnvelope}), into one property; only the mail's
 * name and next delivery time stay in the clear, as James's selectors need them (dequeue after a delay, remove by
 * name). James rebuilds the mail from the opened envelope ({@link OpenedEnvelope}). Removing spooled mail by sender
 * or recipient (WebAdmin's mail queue routes) therefore finds no sealed mail. Messages spooled unsealed, by an
 * earlier version, are read as James reads them.
 */
final class SealedActiveMQMailQueue extends ActiveMQCacheableMailQueue {
    /** The JMS property that marks a sealed message body. */
    static final String SEALED = "EPOST_SEALED_BODY";
    /** The JMS property holding the sealed envelope (base64 of a {@link SealedSpoolBody} of a {@link SpoolEnvelope}). */
    static final String SEALED_ENVELOPE = "EPOST_SEALED_ENVELOPE";
    /** What James selects spooled mail by: left in the clear (not an address, not content). */
    private static final Set<String> CLEAR = Set.of(JAMES_MAIL_NAME, JAMES_NEXT_DELIVERY);

    private static final String NOT_OPENED = " cannot be opened with any of this peer's spool keys (post.vault.secret"
        + " changed or removed, data.dir/" + SpoolKeys.SECRET_FILE + " lost, or the spool was altered)";

    private final SpoolKeys keys;
    private final byte[] spoolKey;

    SealedActiveMQMailQueue(ConnectionFactory connections, MailQueueItemDecoratorFactory decorators, MailQueueName name,
                            MetricFactory metrics, GaugeRegistry gauges, SpoolKeys keys) {
        super(connections, decorators, name, false, metrics, gauges);
        this.keys = keys;
        this.spoolKey = keys.sealing();
    }

    @Override
    protected void produceMail(Map<String, Object> properties, int priority, Mail mail)
            throws JMSException, MessagingException, IOException {
        ObjectMessage message = session.createObjectMessage();
        for (String clear : CLEAR) {
            if (properties.get(clear) != null) {
                message.setObjectProperty(clear, properties.get(clear));
            }
        }
        SpoolEnvelope envelope;
        try {
            envelope = SpoolEnvelope.of(properties);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("cannot spool mail " + mail.getName() + ": " + e.getMessage(), e);
        }
        message.setStringProperty(SEALED_ENVELOPE, Base64.getEncoder().encodeToString(
            SealedSpoolBody.seal(spoolKey, envelope.encoded()).encoded()));
        message.setBooleanProperty(SEALED, true);
        long size = mail.getMessageSize();
        ByteArrayOutputStream plaintext = new ByteArrayOutputStream(size > 0 && size < Integer.MAX_VALUE ? (int) size : 32);
        mail.getMessage().writeTo(plaintext);
        message.setObject(SealedSpoolBody.seal(spoolKey, plaintext.toByteArray()).encoded());
        producer.send(message, DeliveryMode.PERSISTENT, priority, Message.DEFAULT_TIME_TO_LIVE);
    }

    @Override
    protected MailImpl.Builder populateMail(Message message) throws JMSException {
        if (!message.propertyExists(SEALED_ENVELOPE)) {
            return super.populateMail(message);
        }
        String what = "the envelope of spooled mail " + message.getStringProperty(JAMES_MAIL_NAME);
        Map<String, Object> envelope;
        try {
            envelope = SpoolEnvelope.decode(keys.open(SealedSpoolBody.decode(Base64.getDecoder().decode(
                message.getStringProperty(SEALED_ENVELOPE)))).orElseThrow(() -> new JMSException(what + NOT_OPENED)))
                .properties();
        } catch (IllegalArgumentException e) {
            JMSException failure = new JMSException(what + " is malformed: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
        return super.populateMail(OpenedEnvelope.view(message, envelope));
    }

    @Override
    protected MimeMessage mimeMessage(Message message) throws MessagingException, JMSException {
        if (!(message instanceof ObjectMessage object) || !message.propertyExists(SEALED)) {
            return super.mimeMessage(message);
        }
        String what = "the spooled message " + message.getStringProperty(JAMES_MAIL_NAME);
        byte[] plaintext;
        try {
            plaintext = keys.open(SealedSpoolBody.decode((byte[]) object.getObject()))
                .orElseThrow(() -> new MessagingException(what + NOT_OPENED));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new MessagingException(what + " is malformed: " + e.getMessage(), e);
        }
        return new MimeMessageWrapper(new OpenedSource(message.getJMSMessageID(), plaintext));
    }

    /** The opened message, in memory as James's own {@code MimeMessageObjectMessageSource} holds it. */
    private record OpenedSource(String sourceId, byte[] plaintext) implements MimeMessageSource {
        @Override
        public String getSourceId() {
            return sourceId;
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(plaintext);
        }

        @Override
        public long getMessageSize() {
            return plaintext.length;
        }
    }
}

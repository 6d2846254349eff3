package org.epost.peer.queue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

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
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.epost.post.crypto.CryptoException;
import org.epost.post.spool.SealedSpoolBody;

/**
 * James's ActiveMQ mail queue, with each message sealed ({@link SealedSpoolBody}) before it goes into the JMS message
 * and so into the broker's journal, and opened again when a mail is taken from the queue (or browsed): James's
 * mailets, remote delivery among them, see the plaintext in memory only. The envelope (sender, recipients, mail
 * attributes) stays in the JMS properties as James keeps it. Messages spooled unsealed, by an earlier version, are
 * read as James reads them.
 */
final class SealedActiveMQMailQueue extends ActiveMQCacheableMailQueue {
    /** The JMS property that marks a sealed message body. */
    static final String SEALED = "EPOST_SEALED_BODY";

    private final byte[] spoolKey;

    SealedActiveMQMailQueue(ConnectionFactory connections, MailQueueItemDecoratorFactory decorators, MailQueueName name,
                            MetricFactory metrics, GaugeRegistry gauges, byte[] spoolKey) {
        super(connections, decorators, name, false, metrics, gauges);
        this.spoolKey = spoolKey.clone();
    }

    @Override
    protected void produceMail(Map<String, Object> properties, int priority, Mail mail)
            throws JMSException, MessagingException, IOException {
        ObjectMessage message = session.createObjectMessage();
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            message.setObjectProperty(property.getKey(), property.getValue());
        }
        message.setBooleanProperty(SEALED, true);
        long size = mail.getMessageSize();
        ByteArrayOutputStream plaintext = new ByteArrayOutputStream(size > 0 && size < Integer.MAX_VALUE ? (int) size : 32);
        mail.getMessage().writeTo(plaintext);
        message.setObject(SealedSpoolBody.seal(spoolKey, plaintext.toByteArray()).encoded());
        producer.send(message, DeliveryMode.PERSISTENT, priority, Message.DEFAULT_TIME_TO_LIVE);
    }

    @Override
    protected MimeMessage mimeMessage(Message message) throws MessagingException, JMSException {
        if (!(message instanceof ObjectMessage object) || !message.propertyExists(SEALED)) {
            return super.mimeMessage(message);
        }
        byte[] plaintext;
        try {
            plaintext = SealedSpoolBody.decode((byte[]) object.getObject()).open(spoolKey);
        } catch (CryptoException | IllegalArgumentException | ClassCastException e) {
            throw new MessagingException("the spooled message " + message.getStringProperty(JAMES_MAIL_NAME)
                + " cannot be opened with this peer's spool key (post.vault.secret changed, or the spool was altered)", e);
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

package org.epost.mailets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;

/** The raw bytes of a mail's message, exactly as received when nothing changed it (James's own source otherwise). */
final class MailBytes {
    private MailBytes() {
    }

    static byte[] of(Mail mail) throws MessagingException, IOException {
        MimeMessage message = mail.getMessage();
        if (message instanceof MimeMessageWrapper wrapper) {
            try (InputStream in = wrapper.getMessageInputStream()) {
                return in.readAllBytes();
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }
}

package org.epost.spam.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.epost.spam.policy.Sender;

/**
 * Reads who a stored message is from: the home peer writes exactly one {@code X-ePOST-Origin} header on every message
 * it appends ({@code verified; sender=<a>} when the sender's own key signed the notification, {@code external}
 * otherwise); a verified origin names the sender, otherwise the first {@code From:} address does. Only the header is
 * parsed. The header format is interop's {@code Origin}, which this module may not use; its grammar is repeated here.
 */
public final class MessageSenders {
    public static final String ORIGIN_HEADER = "X-ePOST-Origin";
    private static final Pattern VERIFIED = Pattern.compile(
        "verified;\\s*sender=<([^\\s<>\\p{Cntrl}]+@[^\\s<>\\p{Cntrl}@]+)>", Pattern.CASE_INSENSITIVE);

    private MessageSenders() {
    }

    /** The sender of the message {@code bytes} (its header is enough); empty when it names none readable. */
    public static Optional<Sender> of(byte[] bytes) {
        return of(new ByteArrayInputStream(bytes));
    }

    public static Optional<Sender> of(InputStream message) {
        Header header;
        try {
            DefaultMessageBuilder builder = new DefaultMessageBuilder();
            builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
            header = builder.parseHeader(message);
        } catch (IOException e) {
            return Optional.empty();
        }
        List<Field> origins = header.getFields(ORIGIN_HEADER);
        if (origins.size() == 1) {
            Matcher verified = VERIFIED.matcher(origins.get(0).getBody().strip());
            if (verified.matches()) {
                return sender(verified.group(1), true);
            }
        }
        Field from = header.getField("From");
        if (from == null) {
            return Optional.empty();
        }
        MailboxList addresses = LenientAddressParser.DEFAULT.parseAddressList(from.getBody()).flatten();
        for (Mailbox mailbox : addresses) {
            Optional<Sender> sender = sender(mailbox.getAddress(), false);
            if (sender.isPresent()) {
                return sender;
            }
        }
        return Optional.empty();
    }

    private static Optional<Sender> sender(String address, boolean verified) {
        try {
            return Optional.of(new Sender(address.toLowerCase(Locale.ROOT), verified));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

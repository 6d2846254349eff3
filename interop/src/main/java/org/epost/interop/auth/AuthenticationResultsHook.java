package org.epost.interop.auth;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.mailetcontainer.api.MailetLoader;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.MailetConfig;
import org.apache.mailet.MailetContext;
import org.epost.interop.header.HeaderFields;
import org.epost.mailbox.spill.EncryptedMessageSpill;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After DATA, before the mail is delivered through ePOST or spooled, runs James's own {@code SPF} and
 * {@code DKIMVerify} mailets on it (loaded through James's mailet loader, with their stock defaults: SPF ignores
 * private networks) and records their verdicts in one {@code Authentication-Results} header, put first like a trace
 * field, every other byte of the message as received; every such header that arrives naming this server is removed first. Placed in {@code smtpserver.xml}
 * before {@code EpostMessageHook}: mail for ePOST recipients never reaches James's mailet container, where the
 * mailets would otherwise run. A mailet that fails leaves its method "not checked"; the mail is never refused here.
 */
public class AuthenticationResultsHook implements JamesMessageHook {
    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationResultsHook.class);
    static final AttributeName SPF_RESULT = AttributeName.of("org.apache.james.transport.mailets.spf.result");
    static final AttributeName DKIM_RESULT = AttributeName.of("jDKIM.AUTHRESULT");
    private static final String NAME = AuthenticationResults.HEADER.toLowerCase(Locale.ROOT);
    /** Longest header section rewritten (only the header is held in memory; the body streams through). */
    private static final int MAX_HEADER_BYTES = 4 << 20;

    private final MailetLoader loader;
    private final MailetContext context;
    private final AuthenticationResults results;
    private volatile List<Mailet> verifiers;

    @Inject
    public AuthenticationResultsHook(MailetLoader loader, MailetContext context) {
        this.loader = loader;
        this.context = context;
        this.results = new AuthenticationResults(hostName());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** This server's name in the header. */
    String authservId() {
        return results.authservId();
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        for (Mailet verifier : verifiers()) {
            try {
                verifier.service(mail);
            } catch (MessagingException | RuntimeException e) {
                LOG.warn("{} could not check {}: {}", verifier.getMailetInfo(), mail.getName(), e.toString());
            }
        }
        try {
            stamp(mail);
        } catch (MessagingException | IOException e) {
            LOG.warn("Cannot write the {} header of {}: {}", AuthenticationResults.HEADER, mail.getName(), e.toString());
        }
        return HookResult.DECLINED;
    }

    private void stamp(Mail mail) throws MessagingException, IOException {
        Optional<String> spf = mail.getAttribute(SPF_RESULT).flatMap(a -> a.getValue().valueAs(String.class));
        Optional<String> dkim = mail.getAttribute(DKIM_RESULT).flatMap(a -> a.getValue().valueAs(String.class));
        Optional<String> mailFrom = mail.getMaybeSender().asOptional().map(MailAddress::asString);
        String field = AuthenticationResults.HEADER + ": " + results.value(spf, mailFrom, dkim);
        try (InputStream in = new BufferedInputStream(rawMessage(mail.getMessage()))) {
            byte[] header = HeaderSection.read(in, MAX_HEADER_BYTES);
            if (header == null) {
                LOG.warn("The header of {} is longer than {} bytes; no {} written", mail.getName(), MAX_HEADER_BYTES,
                    AuthenticationResults.HEADER);
                return;
            }
            int[] removed = new int[1];
            byte[] rewritten = HeaderFields.rewrite(header, field, f -> {
                boolean ours = f.lowerName().equals(NAME) && results.claimsToBeOurs(f.value());
                removed[0] += ours ? 1 : 0;
                return ours;
            });
            if (removed[0] > 0) {
                LOG.info("Removed {} {} header(s) of {} claiming to be this server's", removed[0],
                    AuthenticationResults.HEADER, mail.getName());
            }
            // the new message: the rewritten header, then the body exactly as received; like the message James's
            // SMTP server received, in an encrypted spill past its memory threshold (never in plaintext on disk)
            EncryptedMessageSpill copy = EncryptedMessageSpill.inTemporaryDirectory(mail.getName() + "-ar");
            try {
                try (OutputStream out = copy.output()) {
                    out.write(rewritten);
                    in.transferTo(out);
                }
                replaceContent(mail, copy);
            } catch (IOException | MessagingException | RuntimeException e) {
                copy.dispose();
                throw e;
            }
        }
    }

    /** The mail's message becomes {@code copy}, which is disposed (its file deleted) with the mail. */
    private static void replaceContent(Mail mail, EncryptedMessageSpill copy) throws MessagingException {
        if (mail instanceof MailImpl james) {
            james.setMessageContent(copy);
        } else {
            // a wrapper of the wrapper: the copy stays until the garbage collector takes it (only other Mail types)
            mail.setMessage(new MimeMessageWrapper(copy));
        }
    }

    /** The message's bytes as received (James's SMTP server gives a wrapper over them), else as javax.mail writes it. */
    private static InputStream rawMessage(MimeMessage message) throws MessagingException, IOException {
        if (message instanceof MimeMessageWrapper wrapper) {
            return wrapper.getMessageInputStream();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return new ByteArrayInputStream(out.toByteArray());
    }

    private List<Mailet> verifiers() {
        List<Mailet> loaded = verifiers;
        if (loaded == null) {
            synchronized (this) {
                if (verifiers == null) {
                    verifiers = load();
                }
                loaded = verifiers;
            }
        }
        return loaded;
    }

    private List<Mailet> load() {
        List<Mailet> loaded = new ArrayList<>();
        for (String name : List.of("SPF", "org.apache.james.jdkim.mailets.DKIMVerify")) {
            try {
                loaded.add(loader.getMailet(config(name)));
            } catch (MessagingException | RuntimeException e) {
                LOG.warn("James's {} mailet is not available ({}); its verdict is recorded as not checked", name,
                    e.toString());
            }
        }
        return List.copyOf(loaded);
    }

    private MailetConfig config(String name) {
        return new MailetConfig() {
            @Override
            public String getInitParameter(String parameter) {
                return null;
            }

            @Override
            public Iterator<String> getInitParameterNames() {
                return Collections.emptyIterator();
            }

            @Override
            public MailetContext getMailetContext() {
                return context;
            }

            @Override
            public String getMailetName() {
                return name;
            }
        };
    }
}

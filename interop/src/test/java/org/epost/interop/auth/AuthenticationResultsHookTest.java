package org.epost.interop.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import javax.mail.MessagingException;

import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.Test;

/**
 * The hook on James's own mail type, with the verdicts James's SPF and DKIMVerify mailets would have left on the mail
 * (the real mailets, loaded through James's loader, run in EpostInteropIT; here the loader has none).
 */
class AuthenticationResultsHookTest {
    private static final String RECEIVED = "Received: from mx.elsewhere.example\r\n        by us; Mon, 7 Dec 2026\r\n";
    private final AuthenticationResultsHook hook = new AuthenticationResultsHook(config -> {
        throw new MessagingException("no mailets in this test");
    }, FakeMailContext.defaultContext());

    private static MailImpl mail(String raw) throws MessagingException {
        return MailImpl.builder().name("m1").sender("a@example.com").addRecipient("bob@epost.test")
            .mimeMessage(new MimeMessageWrapper(MimeMessageInputStreamSource.create("m1",
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)))))
            .build();
    }

    private static String bytes(Mail mail) throws Exception {
        try (var in = ((MimeMessageWrapper) mail.getMessage()).getMessageInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void putsTheVerdictsFirstRemovesForgedOnesAndKeepsEveryOtherByte() throws Exception {
        String us = hook.authservId();
        String body = "\r\nbody line 1\r\nAuthentication-Results: " + us + "; spf=pass\r\n";
        MailImpl mail = mail(RECEIVED + "Authentication-Results: " + us.toUpperCase(java.util.Locale.ROOT)
            + "; dkim=pass\r\n" + "Authentication-Results: mx.elsewhere.example; spf=pass\r\nSubject: s\r\n" + body);
        mail.setAttribute(new Attribute(AuthenticationResultsHook.SPF_RESULT, AttributeValue.of("softfail")));
        mail.setAttribute(new Attribute(AuthenticationResultsHook.DKIM_RESULT,
            AttributeValue.of("neutral (no signatures)")));

        assertThat(hook.onMessage(null, mail)).isEqualTo(HookResult.DECLINED);

        assertThat(bytes(mail)).isEqualTo("Authentication-Results: " + us
            + "; spf=softfail smtp.mailfrom=a@example.com; dkim=none (no signatures)\r\n" + RECEIVED
            + "Authentication-Results: mx.elsewhere.example; spf=pass\r\nSubject: s\r\n" + body);
        mail.dispose();
    }

    @Test
    void withoutVerdictsBothMethodsAreNotChecked() throws Exception {
        MailImpl mail = mail("Subject: s\r\n\r\nbody\r\n");
        hook.onMessage(null, mail);
        assertThat(bytes(mail)).startsWith("Authentication-Results: " + hook.authservId() + "; spf=none (not checked:")
            .contains("; dkim=none (not checked)\r\nSubject: s\r\n\r\nbody\r\n");
        mail.dispose();
    }
}

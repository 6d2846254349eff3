package org.epost.interop.submission;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;

import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.Test;

/** The rule alone; the submission port with real clients is EpostOriginIT's. */
class AuthRequiredHookTest {
    /** A session that answers only who is authenticated, and that relaying is allowed (a trusted loopback client). */
    private static SMTPSession session(Username username) {
        return (SMTPSession) Proxy.newProxyInstance(SMTPSession.class.getClassLoader(),
            new Class<?>[] {SMTPSession.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getUsername" -> username;
                case "isRelayingAllowed" -> true;
                default -> throw new UnsupportedOperationException(method.getName());
            });
    }

    @Test
    void mailFromBeforeAuthIsRefusedWith530EvenForATrustedAddressAndAfterAuthGoesOn() throws Exception {
        AuthRequiredHook hook = new AuthRequiredHook();
        HookResult refused = hook.doMail(session(null), MaybeSender.getMailSender("alice@epost.test"));
        assertThat(refused.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(refused.getSmtpRetCode()).isEqualTo("530");
        assertThat(refused.getSmtpDescription()).startsWith("5.7.0 Authentication required");

        assertThat(hook.doMail(session(Username.of("alice@epost.test")), MaybeSender.getMailSender("alice@epost.test")))
            .isEqualTo(HookResult.DECLINED);
    }
}

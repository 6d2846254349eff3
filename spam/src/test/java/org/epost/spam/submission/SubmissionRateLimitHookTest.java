package org.epost.spam.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.epost.spam.policy.SendingRateLimit;
import org.junit.jupiter.api.Test;

/** The hook alone: authenticated recipients past the limit are deferred with 452 4.7.0; bad configuration refused. */
class SubmissionRateLimitHookTest {
    private static SMTPSession session(Username username) {
        return (SMTPSession) Proxy.newProxyInstance(SMTPSession.class.getClassLoader(),
            new Class<?>[] {SMTPSession.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getUsername" -> username;
                default -> throw new UnsupportedOperationException(method.getName());
            });
    }

    @Test
    void recipientsPastTheLimitAreDeferredAndUnauthenticatedSessionsAreLeftAlone() throws Exception {
        AtomicLong now = new AtomicLong();
        SubmissionRateLimitHook hook = new SubmissionRateLimitHook(new SendingRateLimit(2, 10, now::get));
        SMTPSession alice = session(Username.of("alice@epost.test"));
        MaybeSender from = MaybeSender.getMailSender("alice@epost.test");
        MailAddress to = new MailAddress("bob@epost.test");

        assertThat(hook.doRcpt(alice, from, to, Map.of())).isEqualTo(HookResult.DECLINED);
        assertThat(hook.doRcpt(alice, from, to, Map.of())).isEqualTo(HookResult.DECLINED);
        HookResult deferred = hook.doRcpt(alice, from, to, Map.of());
        assertThat(deferred.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(deferred.getSmtpRetCode()).isEqualTo("452");
        assertThat(deferred.getSmtpDescription()).startsWith("4.7.0 Sending limit reached (10 recipients an hour)");
        for (int i = 0; i < 5; i++) {
            assertThat(hook.doRcpt(session(null), from, to, Map.of())).isEqualTo(HookResult.DECLINED);
        }
        now.addAndGet(360_000); // 10 an hour: one every six minutes
        assertThat(hook.doRcpt(alice, from, to, Map.of())).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void theLimitIsConfiguredOnTheHandlerAndABadOneStopsTheStart() throws Exception {
        SubmissionRateLimitHook hook = new SubmissionRateLimitHook();
        BaseConfiguration config = new BaseConfiguration();
        config.setProperty("burst", 1);
        config.setProperty("recipientsPerHour", 1);
        hook.init(config);
        SMTPSession alice = session(Username.of("alice@epost.test"));
        MaybeSender from = MaybeSender.getMailSender("alice@epost.test");
        assertThat(hook.doRcpt(alice, from, new MailAddress("bob@epost.test"), Map.of())).isEqualTo(HookResult.DECLINED);
        assertThat(hook.doRcpt(alice, from, new MailAddress("bob@epost.test"), Map.of()).getSmtpRetCode())
            .isEqualTo("452");

        config.setProperty("burst", 0);
        assertThatThrownBy(() -> new SubmissionRateLimitHook().init(config)).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("burst 0");
    }
}

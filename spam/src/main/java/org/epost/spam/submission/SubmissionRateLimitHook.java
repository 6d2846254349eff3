package org.epost.spam.submission;

import java.util.Map;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.epost.spam.policy.SendingRateLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user sending limit of the submission port ({@link SendingRateLimit}): each {@code RCPT TO} of an
 * authenticated user takes one recipient from their bucket, and past the limit it is answered {@code 452 4.7.1}
 * (temporary: the client keeps the message and retries later), so a compromised account cannot flood the ring.
 * Unauthenticated sessions are left to the hooks before it. Configured in {@code smtpserver.xml} on its handler:
 * {@code <burst>} recipients at once (default {@value #DEFAULT_BURST}) and {@code <recipientsPerHour>} regained an
 * hour (default {@value #DEFAULT_PER_HOUR}). James creates one instance per server, so the limit is per peer.
 */
public class SubmissionRateLimitHook implements RcptHook {
    public static final long DEFAULT_BURST = 100;
    public static final long DEFAULT_PER_HOUR = 300;
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionRateLimitHook.class);

    private volatile SendingRateLimit limit = new SendingRateLimit(DEFAULT_BURST, DEFAULT_PER_HOUR,
        System::currentTimeMillis);

    public SubmissionRateLimitHook() {
    }

    /** With a given limit (tests step its clock). */
    public SubmissionRateLimitHook(SendingRateLimit limit) {
        this.limit = limit;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        long burst = config.getLong("burst", DEFAULT_BURST);
        long perHour = config.getLong("recipientsPerHour", DEFAULT_PER_HOUR);
        try {
            limit = new SendingRateLimit(burst, perHour, System::currentTimeMillis);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("SubmissionRateLimitHook: " + e.getMessage());
        }
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress recipient,
                             Map<String, String> parameters) {
        if (session.getUsername() == null) {
            return HookResult.DECLINED;
        }
        String user = session.getUsername().asString();
        if (limit.tryAcquire(user)) {
            return HookResult.DECLINED;
        }
        LOG.warn("Sending limit of {} reached ({} recipients at once, {} an hour): RCPT TO {} deferred", user,
            limit.burst(), limit.perHour(), recipient.asString());
        return HookResult.builder()
            .hookReturnCode(HookReturnCode.denySoft())
            .smtpReturnCode("452")
            .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SECURITY_OTHER)
                + " Sending limit reached (" + limit.perHour() + " recipients an hour): try again later")
            .build();
    }
}

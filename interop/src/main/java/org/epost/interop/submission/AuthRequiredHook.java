package org.epost.interop.submission;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;

/**
 * The submission port's rule that every message is sent by an authenticated user: {@code MAIL FROM} before a
 * successful {@code AUTH} is answered {@code 530 5.7.0}, whatever the client's address (loopback included: the stock
 * conf would trust it as an "authorized address") and whatever the recipients. James 3.8.1 only requires AUTH to relay
 * to other domains ({@code AuthRequiredToRelayRcptHook}); that {@code MAIL FROM} is the authenticated user is James's
 * own {@code verifyIdentity} check. Listed in {@code smtpserver.xml}'s handler chain of the submission server only.
 */
public class AuthRequiredHook implements MailHook {
    static final HookResult AUTH_REQUIRED = HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode("530")
        .smtpDescription(DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.SECURITY_OTHER)
            + " Authentication required: this is the submission port")
        .build();

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        return session.getUsername() == null ? AUTH_REQUIRED : HookResult.DECLINED;
    }
}

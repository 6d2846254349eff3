package org.epost.mailets;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.epost.post.delivery.PostGateway;

/**
 * Accepts {@code RCPT TO} for ePOST accounts wherever their home peer is: stock James's {@code ValidRcptHandler}
 * accepts only users of this James server, but an ePOST user lives on one peer and gets mail through any. Placed before
 * {@code ValidRcptHandler} in smtpserver.xml's handler chain.
 *
 * <ul>
 *   <li>an address on an ePOST domain with a certificate in the ring: accepted ({@code 250});</li>
 *   <li>an address on an ePOST domain that the ring cannot vouch for now (the peer is starting, the ring does not
 *       answer): {@code 451 4.4.3}, so that the client tries again rather than getting a wrong permanent refusal;</li>
 *   <li>an address routed to the legacy mail server (split delivery, whether or not it has an ePOST account yet):
 *       accepted unless that server refuses it for good when asked ({@link PostGateway#legacyRefusal}: {@code 550
 *       5.1.1}, not a later bounce); James spools the mail and interop's {@code LegacyRelay} mailet relays it there;</li>
 *   <li>a user of this peer still waiting for its certificate (a peer without the user CA key): {@code 550 5.1.1}
 *       as for an unknown user (stock James would accept it, being a James user);</li>
 *   <li>anything else (other domains, aliases, unknown addresses): left to the next hooks, so an unknown address on an
 *       ePOST domain is refused by {@code ValidRcptHandler} as by stock James.</li>
 * </ul>
 */
public class EpostRcptHook implements RcptHook {
    private final EpostRecipients recipients;
    private final PostGateway gateway;

    @Inject
    public EpostRcptHook(PostGateway gateway) {
        this.recipients = new EpostRecipients(gateway);
        this.gateway = gateway;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        return decide(rcpt);
    }

    HookResult decide(MailAddress rcpt) {
        return switch (recipients.kindOf(rcpt)) {
            case EPOST -> HookResult.builder()
                .hookReturnCode(HookReturnCode.ok())
                .smtpDescription(DSNStatus.getStatus(DSNStatus.SUCCESS, DSNStatus.ADDRESS_VALID) + " ePOST recipient <"
                    + rcpt.asString() + "> OK")
                .build();
            case LEGACY -> gateway.legacyRefusal(rcpt.asString())
                .map(refusal -> HookResult.builder()
                    .hookReturnCode(HookReturnCode.deny())
                    .smtpReturnCode("550")
                    .smtpDescription(DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.ADDRESS_MAILBOX) + " <"
                        + rcpt.asString() + ">: the organization's other mail server refuses it (" + refusal + ")")
                    .build())
                .orElseGet(() -> HookResult.builder()
                    .hookReturnCode(HookReturnCode.ok())
                    .smtpDescription(DSNStatus.getStatus(DSNStatus.SUCCESS, DSNStatus.ADDRESS_VALID) + " Recipient <"
                        + rcpt.asString() + "> OK")
                    .build());
            case UNDECIDED -> HookResult.builder()
                .hookReturnCode(HookReturnCode.denySoft())
                .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.NETWORK_DIR_SERVER)
                    + " The ePOST directory cannot confirm <" + rcpt.asString() + "> now; try again later")
                .build();
            case UNKNOWN -> gateway.awaitsCertificate(rcpt.asString())
                ? HookResult.builder()
                    .hookReturnCode(HookReturnCode.deny())
                    .smtpReturnCode("550")
                    .smtpDescription(DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.ADDRESS_MAILBOX)
                        + " Unknown user: " + rcpt.asString())
                    .build()
                : HookResult.DECLINED;
            case NOT_EPOST -> HookResult.DECLINED;
        };
    }
}

package org.epost.mailets;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.smtpserver.DataLineJamesMessageHookHandler;
import org.apache.james.smtpserver.SMTPConstants;
import org.epost.mailbox.spill.EncryptedMessageSpill;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last DATA line filter of an ePOST peer: writes the (dot-unstuffed) lines into the transaction's
 * {@link EncryptedMessageSpill} and, at the final dot, hands the mail to the message hooks exactly as James's
 * {@link DataLineJamesMessageHookHandler} does ({@link #processExtensions}, inherited with its hook wiring), but with
 * the encrypted spill as the mail's content. Listed in smtpserver.xml after James's {@code CoreCmdHandlerLoader};
 * {@link EpostDataCmdHandler} puts it at the end of the filters in place of James's.
 */
public class EpostDataLineHandler extends DataLineJamesMessageHookHandler {
    private static final Logger LOG = LoggerFactory.getLogger(EpostDataLineHandler.class);

    @Override
    public Response onLine(SMTPSession session, byte[] line, LineHandler<SMTPSession> next) {
        Optional<EncryptedMessageSpill> spill = session.getAttachment(EpostDataCmdHandler.SPILL, State.Connection);
        if (spill.isEmpty()) {
            session.popLineHandler();
            return EpostDataCmdHandler.localError("No message in progress");
        }
        if (DETECT_SMTP_SMUGGLING && !endsWithCrLf(line)) {
            // a bare LF or CR could hide a second SMTP transaction inside this one (SMTP smuggling)
            EpostDataCmdHandler.disposeSpill(session);
            session.popLineHandler();
            LOG.info("Bare CR or LF in DATA, which might be an SMTP smuggling attempt; connection closed");
            SMTPResponse refused = new SMTPResponse("500",
                DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.UNDEFINED_STATUS) + " Bare CR or LF in DATA");
            refused.setEndSession(true);
            return refused;
        }
        try {
            if (line.length == 3 && line[0] == '.') {
                return finish(session, spill.get());
            }
            OutputStream out = spill.get().output();
            if (line.length >= 2 && line[0] == '.' && line[1] == '.') {
                out.write(line, 1, line.length - 1);
            } else {
                out.write(line);
            }
            return null;
        } catch (IOException e) {
            EpostDataCmdHandler.disposeSpill(session);
            session.popLineHandler();
            LOG.error("Cannot keep the message of {} while it is received", spill.get().getSourceId(), e);
            SMTPResponse failed = EpostDataCmdHandler.localError("Cannot keep the message: " + e.getMessage());
            failed.setEndSession(true);
            return failed;
        }
    }

    private Response finish(SMTPSession session, EncryptedMessageSpill spill) throws IOException {
        spill.output().close();
        MailImpl mail = null;
        // James's hooks get a writable copy of the message for the protocol-level MessageHooks' envelope; nothing
        // is written to it (and James's own handler ignores what is, as the mail is built already): it stays empty.
        MimeMessageInputStreamSource unused = MimeMessageInputStreamSource.create(spill.getSourceId());
        try {
            List<MailAddress> recipients = session.getAttachment(SMTPSession.RCPT_LIST, State.Transaction)
                .orElse(List.of());
            mail = MailImpl.builder()
                .name(spill.getSourceId())
                .sender(session.getAttachment(SMTPSession.SENDER, State.Transaction).orElse(MaybeSender.nullSender()))
                .addRecipients(recipients)
                .build();
            session.setAttachment(SMTPConstants.MAIL, mail, State.Transaction);
            mail.setMessageContent(spill);
            Response response = processExtensions(session, mail, unused);
            session.popLineHandler();
            return response;
        } catch (MessagingException e) {
            session.popLineHandler();
            LOG.info("Cannot read the message of {}", spill.getSourceId(), e);
            return new SMTPResponse(SMTPRetCode.LOCAL_ERROR,
                DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.UNDEFINED_STATUS) + " Error processing message");
        } finally {
            LifecycleUtil.dispose(unused);
            LifecycleUtil.dispose(mail);
            EpostDataCmdHandler.disposeSpill(session);
        }
    }

    private static boolean endsWithCrLf(byte[] line) {
        return line.length >= 2 && line[line.length - 2] == '\r' && line[line.length - 1] == '\n';
    }
}

package org.epost.mailets;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.DisconnectHandler;
import org.apache.james.protocols.api.handler.WiringException;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.DataCmdHandler;
import org.apache.james.protocols.smtp.core.DataLineFilter;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.server.core.MailImpl;
import org.apache.james.smtpserver.DataLineJamesMessageHookHandler;
import org.epost.mailbox.spill.EncryptedMessageSpill;

/**
 * DATA for ePOST peers: the message goes into an {@link EncryptedMessageSpill} instead of James's plaintext temporary
 * file. Listed in smtpserver.xml before James's {@code CoreCmdHandlerLoader}, it answers DATA first, so James's own
 * {@code JamesDataCmdHandler} never runs; its chain of line filters is James's (size limit, Received header) with
 * the {@link EpostDataLineHandler} in place of James's {@code DataLineJamesMessageHookHandler} at the end.
 *
 * <p>The spill belongs to the connection until the next DATA or the end of the connection, which dispose it: a
 * transaction cut short (a message over the size limit, whose end James's size filter answers itself, or a client
 * gone mid-DATA) leaves no file behind.
 */
public class EpostDataCmdHandler extends DataCmdHandler implements DisconnectHandler<SMTPSession> {
    static final AttachmentKey<EncryptedMessageSpill> SPILL = AttachmentKey.of("epost.smtp.spill",
        EncryptedMessageSpill.class);

    @Inject
    public EpostDataCmdHandler(MetricFactory metricFactory) {
        super(metricFactory);
    }

    @Override
    protected Response doDATA(SMTPSession session, String argument) {
        disposeSpill(session);
        EncryptedMessageSpill spill = EncryptedMessageSpill.inTemporaryDirectory(MailImpl.getId());
        session.setAttachment(SPILL, spill, State.Connection);
        session.pushLineHandler(getLineHandler());
        return new SMTPResponse(SMTPRetCode.DATA_READY, "Ok Send data ending with <CRLF>.<CRLF>");
    }

    @Override
    public void onDisconnect(SMTPSession session) {
        disposeSpill(session);
    }

    static void disposeSpill(SMTPSession session) {
        session.removeAttachment(SPILL, State.Connection).ifPresent(EncryptedMessageSpill::dispose);
    }

    /** James's line filters in their order, James's terminal one replaced by ePOST's (which must be in the chain). */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void wireExtensions(Class interfaceName, List extension) throws WiringException {
        if (!DataLineFilter.class.equals(interfaceName)) {
            super.wireExtensions(interfaceName, extension);
            return;
        }
        List<DataLineFilter> filters = new ArrayList<>();
        EpostDataLineHandler terminal = null;
        for (Object filter : extension) {
            if (filter instanceof EpostDataLineHandler epost) {
                terminal = epost;
            } else if (!(filter instanceof DataLineJamesMessageHookHandler)) {
                filters.add((DataLineFilter) filter);
            }
        }
        if (terminal == null) {
            throw new WiringException(EpostDataLineHandler.class.getName() + " must be in the SMTP handler chain"
                + " with " + EpostDataCmdHandler.class.getName());
        }
        filters.add(terminal);
        super.wireExtensions(interfaceName, filters);
    }

    static SMTPResponse localError(String why) {
        return new SMTPResponse(SMTPRetCode.LOCAL_ERROR,
            DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.UNDEFINED_STATUS) + " " + why);
    }
}

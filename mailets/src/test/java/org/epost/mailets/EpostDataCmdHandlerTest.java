package org.epost.mailets;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;

import org.apache.james.protocols.api.handler.WiringException;
import org.apache.james.protocols.smtp.core.DataLineFilter;
import org.apache.james.smtpserver.DataLineJamesMessageHookHandler;
import org.junit.jupiter.api.Test;

/** The wiring of ePOST's DATA handler; the DATA path itself runs on real peers in {@code EpostPlaintextOnDiskIT}. */
class EpostDataCmdHandlerTest {
    private static final DataLineFilter RECEIVED = (session, line, next) -> next.onLine(session, line);

    @Test
    void aChainWithoutEpostsLastFilterIsRefusedAtStartWithTheReason() {
        // James's last filter would write the message to its plaintext file: refused, not silently used
        EpostDataCmdHandler handler = new EpostDataCmdHandler(null);
        assertThatThrownBy(() -> handler.wireExtensions(DataLineFilter.class,
                List.of(RECEIVED, new DataLineJamesMessageHookHandler())))
            .isInstanceOf(WiringException.class)
            .hasMessageContaining(EpostDataLineHandler.class.getName() + " must be in the SMTP handler chain");
    }

    @Test
    void aChainWithEpostsLastFilterIsAccepted() {
        EpostDataCmdHandler handler = new EpostDataCmdHandler(null);
        assertThatCode(() -> handler.wireExtensions(DataLineFilter.class,
                List.of(new EpostDataLineHandler(), RECEIVED, new DataLineJamesMessageHookHandler())))
            .doesNotThrowAnyException();
    }
}

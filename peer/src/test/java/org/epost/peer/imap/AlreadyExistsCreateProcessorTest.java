package org.epost.peer.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.message.request.CreateRequest;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.junit.jupiter.api.Test;

class AlreadyExistsCreateProcessorTest {
    private final AlreadyExistsCreateProcessor create = new AlreadyExistsCreateProcessor(mock(MailboxManager.class),
        new UnpooledStatusResponseFactory(), new RecordingMetricFactory());
    private final List<ImapResponseMessage> responses = new ArrayList<>();
    private final ImapProcessor.Responder responder = new ImapProcessor.Responder() {
        @Override
        public void respond(ImapResponseMessage message) {
            responses.add(message);
        }

        @Override
        public void flush() {
        }
    };

    @Test
    void anExistingMailboxIsAnsweredWithRfc5530sCode() {
        create.no(new CreateRequest("Archive", new Tag("a1")), responder, HumanReadableText.MAILBOX_EXISTS);

        StatusResponse response = (StatusResponse) responses.get(0);
        assertThat(response.getServerResponseType()).isEqualTo(StatusResponse.Type.NO);
        assertThat(response.getResponseCode().getCode()).isEqualTo("ALREADYEXISTS");
        assertThat(response.getTextKey()).isEqualTo(HumanReadableText.MAILBOX_EXISTS);
    }

    @Test
    void otherRefusalsKeepJamessAnswer() {
        create.no(new CreateRequest("Archive", new Tag("a1")), responder, HumanReadableText.GENERIC_FAILURE_DURING_PROCESSING);

        assertThat(((StatusResponse) responses.get(0)).getResponseCode()).isNull();
    }
}

package org.epost.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.Test;

class EpostRcptHookTest {
    private final TestPeer peer = new TestPeer();
    private final EpostRcptHook hook = new EpostRcptHook(peer);

    private HookResult rcpt(String address) throws Exception {
        return hook.decide(new MailAddress(address));
    }

    @Test
    void anEpostAccountHomedAnywhereIsAccepted() throws Exception {
        peer.accounts.add("bob@epost.test");

        HookResult result = rcpt("Bob@epost.test");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(result.getSmtpDescription()).contains("2.1.5");
    }

    @Test
    void otherDomainsAndAddressesWithoutAnAccountAreLeftToJames() throws Exception {
        assertThat(rcpt("nobody@epost.test")).isEqualTo(HookResult.DECLINED);
        assertThat(rcpt("bob@example.com")).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void anEpostAddressTheRingCannotConfirmNowIsRefusedTemporarily() throws Exception {
        peer.ringAnswers = false;
        assertThat(rcpt("bob@epost.test").getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(rcpt("bob@example.com")).isEqualTo(HookResult.DECLINED);

        peer.ringAnswers = true;
        peer.running = false;
        HookResult starting = rcpt("bob@epost.test");
        assertThat(starting.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(starting.getSmtpDescription()).startsWith("4.4.3");
    }

    @Test
    void anAddressRoutedToTheLegacyServerIsAcceptedWithOrWithoutAnAccount() throws Exception {
        peer.accounts.add("mover@epost.test");
        peer.legacy.add("mover@epost.test");
        peer.legacy.add("stayer@epost.test");

        assertThat(rcpt("mover@epost.test").getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(rcpt("stayer@epost.test").getResult()).isEqualTo(HookReturnCode.ok());

        peer.ringAnswers = false;
        assertThat(rcpt("stayer@epost.test").getResult()).as("no ring needed for a legacy route")
            .isEqualTo(HookReturnCode.ok());
    }

    @Test
    void anAddressTheLegacyServerRefusesIsRefusedAtRcptWithItsReply() throws Exception {
        peer.legacy.add("gone@epost.test");
        peer.legacyRefuses.put("gone@epost.test", "550 5.1.1 <gone@epost.test> User doesn't exist");

        HookResult result = rcpt("gone@epost.test");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("550");
        assertThat(result.getSmtpDescription()).startsWith("5.1.1").contains("User doesn't exist");
    }

    @Test
    void aUserOfThisPeerWaitingForItsCertificateIsRefusedAsAnUnknownUser() throws Exception {
        peer.pendingCertificates.add("dave@epost.test");

        HookResult result = rcpt("dave@epost.test");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("550");
        assertThat(result.getSmtpDescription()).isEqualTo("5.1.1 Unknown user: dave@epost.test");
        assertThat(rcpt("nobody@epost.test")).as("others still left to James").isEqualTo(HookResult.DECLINED);
    }
}

package org.epost.peer.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;
import org.junit.jupiter.api.Test;

/**
 * One message size limit for SMTP and IMAP APPEND, checked at start on the smtpserver.xml and imapserver.xml the peer
 * ships (james-conf), as edited by an admin.
 */
class MessageSizeLimitsTest {
    private static final Path CONF = Path.of("../james-conf/src/main/resources/epost-conf");
    private static final long FIFTY_MIB = 50L << 20;
    private static final long ONE_GIB = 1L << 30;

    private static XMLConfiguration conf(String file, UnaryOperator<String> edit) throws IOException, ConfigurationException {
        String text = Files.readString(CONF.resolve(file));
        String edited = edit.apply(text);
        if (edit != UnaryOperator.<String>identity()) {
            assertThat(edited).as("the edit changes " + file).isNotEqualTo(text);
        }
        XMLConfiguration configuration = new XMLConfiguration();
        new FileHandler(configuration).load(new StringReader(edited));
        return configuration;
    }

    private static XMLConfiguration smtp(UnaryOperator<String> edit) throws Exception {
        return conf("smtpserver.xml", edit);
    }

    private static XMLConfiguration imap(UnaryOperator<String> edit) throws Exception {
        return conf("imapserver.xml", edit);
    }

    @Test
    void theShippedServersAgreeOnFiftyMebibytes() throws Exception {
        assertThat(MessageSizeLimits.check(smtp(UnaryOperator.identity()), imap(UnaryOperator.identity()), ONE_GIB))
            .isEqualTo(FIFTY_MIB);
    }

    @Test
    void oneLimitChangedEverywhereIsTaken() throws Exception {
        assertThat(MessageSizeLimits.check(
            smtp(xml -> xml.replace("<maxmessagesize>51200</maxmessagesize>", "<maxmessagesize>20480</maxmessagesize>")),
            imap(xml -> xml.replace("<literalSizeLimit>50M</literalSizeLimit>", "<literalSizeLimit>20M</literalSizeLimit>")),
            ONE_GIB)).isEqualTo(20L << 20);
    }

    @Test
    void anImapLimitOtherThanSmtpsStopsTheStartNamingEveryServer() {
        assertThatThrownBy(() -> MessageSizeLimits.check(smtp(UnaryOperator.identity()),
                imap(xml -> xml.replace("<literalSizeLimit>50M</literalSizeLimit>", "<literalSizeLimit>20M</literalSizeLimit>")),
                ONE_GIB))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("smtpserver.xml 'smtpserver-global': <maxmessagesize>51200</maxmessagesize> (52428800 bytes)")
            .hasMessageContaining("smtpserver.xml 'smtpserver-authenticated'")
            .hasMessageContaining("imapserver.xml 'imapserver': <literalSizeLimit>20M</literalSizeLimit> (20971520 bytes)")
            .hasMessageContaining("imapserver.xml 'imapserver-ssl'");
    }

    @Test
    void oneSmtpServerOtherThanTheRestStopsTheStartAndNoLimitIsALimitToo() {
        assertThatThrownBy(() -> MessageSizeLimits.check(
                smtp(xml -> xml.replaceFirst("<maxmessagesize>51200</maxmessagesize>", "<maxmessagesize>0</maxmessagesize>")),
                imap(UnaryOperator.identity()), ONE_GIB))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("'smtpserver-global': <maxmessagesize>0</maxmessagesize> (no limit)");
        assertThatThrownBy(() -> MessageSizeLimits.check(smtp(UnaryOperator.identity()),
                imap(xml -> xml.replace("<literalSizeLimit>50M</literalSizeLimit>", "")), ONE_GIB))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("'imapserver': no <literalSizeLimit> (no limit)");
    }

    @Test
    void aDisabledServerDoesNotCount() throws Exception {
        assertThat(MessageSizeLimits.check(smtp(UnaryOperator.identity()),
            imap(xml -> xml.replace("<imapserver enabled=\"true\">\n        <jmxName>imapserver-ssl</jmxName>",
                    "<imapserver enabled=\"false\">\n        <jmxName>imapserver-ssl</jmxName>")
                .replaceFirst("(?s)(<jmxName>imapserver-ssl</jmxName>.*?)<literalSizeLimit>50M</literalSizeLimit>",
                    "$1<literalSizeLimit>1M</literalSizeLimit>")),
            ONE_GIB)).isEqualTo(FIFTY_MIB);
    }

    @Test
    void aScratchBudgetSmallerThanTheLimitStopsTheStart() {
        assertThatThrownBy(() -> MessageSizeLimits.check(smtp(UnaryOperator.identity()), imap(UnaryOperator.identity()),
                FIFTY_MIB - 1))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("imap.literal.scratch (52428799 bytes) must be at least the message size limit (52428800 bytes");
    }
}
